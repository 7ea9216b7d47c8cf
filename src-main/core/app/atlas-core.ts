import type { AwsCredentialIdentity } from '@smithy/types';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import type { AppInfo, AtlasHandlers, Settings } from '../../../src-shared/contract';
import { createDispatcher, type Dispatcher } from '../api/dispatcher';
import { RegionClients } from '../aws/region-clients';
import { CatalogCache } from '../catalog/cache';
import { CatalogService, createCatalogHandlers } from '../catalog/service';
import type { ScanOptions } from '../catalog/discovery';
import { EventHub } from './event-hub';
import { SettingsStore } from './settings-store';

/**
 * The composition root shared by the Electron shell, the browser host and the CLI: it owns the pooled AWS
 * clients, the cache and the catalog service, and exposes them as the contract's handlers.
 */

export interface AtlasCoreOptions {
  name: string;
  version: string;
  transport: AppInfo['transport'];
  /** Where user settings live; null keeps them in memory (CLI runs). */
  settingsPath: string | null;
  /** Values given on the command line; they win over the settings file for this run. */
  overrides?: Partial<Settings>;
  endpointUrl?: string | null;
  /** The bundled fallback catalog; null disables the fallback. */
  bundledPath: string | null;
  credentials?: AwsCredentialIdentity;
  scan?: Pick<ScanOptions, 'regionTimeoutMs' | 'perRegionConcurrency'>;
  clientTimeouts?: { requestTimeoutMs?: number; maxAttempts?: number };
  log: (line: string) => void;
}

export interface AtlasCore {
  handlers: AtlasHandlers;
  dispatcher: Dispatcher;
  events: EventHub;
  catalog(): CatalogService;
  settings(): Settings;
  close(): void;
}

export async function createAtlasCore(options: AtlasCoreOptions): Promise<AtlasCore> {
  const events = new EventHub();
  const store = new SettingsStore(options.settingsPath);
  await store.load();
  for (const warning of store.warnings) options.log(warning);
  let settings: Settings = { ...store.get(), ...options.overrides };

  const build = () => {
    const clients = new RegionClients({
      endpointUrl: options.endpointUrl ?? null,
      profile: settings.awsProfile,
      credentials: options.credentials,
      requestTimeoutMs: options.clientTimeouts?.requestTimeoutMs,
      maxAttempts: options.clientTimeouts?.maxAttempts,
      log: options.log,
    });
    const cache = new CatalogCache({
      mode: settings.cacheMode,
      dir: settings.cacheDir,
      maxAgeMs: settings.maxAgeHours * 3_600_000,
      log: options.log,
    });
    const service = new CatalogService({
      clients,
      cache,
      bundledPath: options.bundledPath,
      regions: () => (settings.regions.length > 0 ? settings.regions : COMMERCIAL_REGIONS),
      emit: events.emit,
      log: options.log,
      scan: options.scan,
    });
    return { clients, service };
  };
  let built = build();

  const handlers: AtlasHandlers = {
    getAppInfo: async () => ({
      name: options.name,
      version: options.version,
      transport: options.transport,
      platform: process.platform,
      endpointUrl: options.endpointUrl ?? null,
      simulated: built.clients.simulated,
      awsProfile: settings.awsProfile,
    }),
    getSettings: async () => settings,
    updateSettings: async (patch) => {
      const before = settings;
      settings = await store.update({ ...store.get(), ...patch });
      // Clients and cache depend on these; rebuild them so the next call uses the new profile or cache.
      if (
        before.awsProfile !== settings.awsProfile ||
        before.cacheMode !== settings.cacheMode ||
        before.cacheDir !== settings.cacheDir ||
        before.maxAgeHours !== settings.maxAgeHours
      ) {
        built.service.cancelRefresh();
        built.clients.destroy();
        built = build();
      }
      return settings;
    },
    ...createCatalogHandlers(() => built.service),
  };

  return {
    handlers,
    dispatcher: createDispatcher(handlers, options.log),
    events,
    catalog: () => built.service,
    settings: () => settings,
    close: () => {
      built.service.cancelRefresh();
      built.clients.destroy();
    },
  };
}
