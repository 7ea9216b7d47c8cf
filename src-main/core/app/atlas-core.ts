import type { AwsCredentialIdentity } from '@smithy/types';
import { METHOD_NAMES, STREAM_NAMES, type AppInfo, type AtlasHandlers, type Settings, type StreamHandlers } from '../../../src-shared/contract';
import type { AtlasEvent } from '../../../src-shared/events';
import { createDispatcher, type Dispatcher } from '../api/dispatcher';
import { StreamRegistry } from '../api/stream-registry';
import type { ScanOptions } from '../catalog/discovery';
import { catalogFeature } from '../catalog/feature';
import type { CatalogService } from '../catalog/service';
import { playgroundFeature } from '../playground/feature';
import { latencyFeature } from '../latency/feature';
import { historyFeature } from '../storage/history-feature';
import { identityFeature } from '../identity/feature';
import { accessFeature } from '../access/feature';
import { ssoFeature } from '../sso/feature';
import { quotasFeature } from '../quotas/feature';
import { pricesFeature } from '../prices/feature';
import { usageFeature } from '../usage/feature';
import { capacityFeature } from '../capacity/feature';
import { attributionFeature } from '../attribution/feature';
import { teamFeature } from '../fleet/team/feature';
import { monitorFeature } from '../fleet/monitor/feature';
import { telemetryFeature } from '../fleet/telemetry/feature';
import type { PollClock } from '../sso/device-sign-in';
import type { ApiKeyVault } from '../aws/bedrock-api-key';
import { AwsClientPool } from '../aws/client-pool';
import { redactSecrets } from '../aws/redact';
import { appFeature } from './app-feature';
import { awsFeature } from './aws-feature';
import { changedSettings, EffectiveSettings } from './effective-settings';
import { EventHub } from './event-hub';
import type { Feature, FeatureContext, FeatureInstance } from './feature';
import { buildOrder, FeatureWiringError, staleFeatures, withDependents } from './feature-graph';
import { settingsFeature } from './settings-feature';
import { SettingsStore } from './settings-store';

/**
 * The composition root shared by the Electron shell, the browser host and the CLI. It builds the features in the
 * order their declared dependencies give, routes each contract method and stream to the feature that handles it,
 * and rebuilds a feature (and everything that depends on it) when a setting it rebuilds on changes. Adding a
 * feature means adding it to FEATURES, in any order.
 */
export { FeatureWiringError } from './feature-graph';
export const FEATURES: readonly Feature[] = [awsFeature, appFeature, settingsFeature, catalogFeature, historyFeature, playgroundFeature, latencyFeature, identityFeature, accessFeature, ssoFeature, quotasFeature, pricesFeature, usageFeature, capacityFeature, attributionFeature, monitorFeature, telemetryFeature, teamFeature];

export interface AtlasCoreOptions {
  name: string;
  version: string;
  transport: AppInfo['transport'];
  /** How the user started the app, for messages that tell them what to run again. */
  launchCommand?: AppInfo['launchCommand'];
  /** Where user settings live; null keeps them in memory. */
  settingsPath: string | null;
  /** Values given on the command line; they win over the settings file for the whole run. */
  overrides?: Partial<Settings>;
  endpointUrl: string | null;
  /** The bundled fallback catalog; null disables the fallback. */
  bundledPath: string | null;
  credentials?: AwsCredentialIdentity;
  /** The Bedrock API key for this run; undefined reads AWS_BEARER_TOKEN_BEDROCK, null means none. */
  bedrockApiKey?: string | null;
  /** Where the desktop app keeps a pasted Bedrock API key (safeStorage); hosts without one pass nothing. */
  apiKeyVault?: ApiKeyVault | null;
  scan?: Pick<ScanOptions, 'regionTimeoutMs' | 'perRegionConcurrency'>;
  clientTimeouts?: { requestTimeoutMs?: number; maxAttempts?: number };
  /** How an IAM Identity Center sign-in waits between polls; tests pass one that records the waits instead. */
  ssoPollClock?: PollClock;
  log: (line: string) => void;
  /** Replaces FEATURES (tests). */
  features?: readonly Feature[];
}

/** What a caller must say; everything else has the default `coreOptions` gives it. */
export type AtlasCoreInit = Partial<AtlasCoreOptions> & Pick<AtlasCoreOptions, 'version'>;

/**
 * The one place the composition root's defaults live: the app's name, the browser transport, no settings file, no
 * endpoint override (the SDK resolves every service's endpoint), no bundled fallback, and a silent log.
 */
export function coreOptions(init: AtlasCoreInit): AtlasCoreOptions {
  return { name: 'Bedrock Atlas', transport: 'web', settingsPath: null, endpointUrl: null, bundledPath: null, log: () => {}, ...init };
}

export interface AtlasCore {
  handlers: AtlasHandlers;
  streamHandlers: StreamHandlers;
  dispatcher: Dispatcher;
  streams: StreamRegistry;
  events: EventHub;
  /** Events that bring a newly connected client up to date. */
  snapshotEvents(): AtlasEvent[];
  catalog(): CatalogService;
  settings(): Settings;
  /** A feature's exports, for a host that composes more than the contract (the fleet monitor's measurer). */
  exportsOf<Exports>(feature: Feature<Exports>): Exports;
  /** Cancels every stream and disposes every feature, dependents first; resolves once all of them have finished. */
  close(): Promise<void>;
}

/** Routes every name to the one feature that handles it; a name handled twice or never is a wiring mistake. */
function route(features: readonly Feature[], instances: Map<Feature, FeatureInstance>, names: readonly string[], kind: 'methods' | 'streams') {
  const owners = new Map<string, Feature>();
  for (const feature of features) {
    for (const name of Object.keys(instances.get(feature)![kind] ?? {})) {
      if (owners.has(name)) throw new FeatureWiringError(`${kind} ${name} is handled by both ${owners.get(name)!.name} and ${feature.name}`);
      owners.set(name, feature);
    }
  }
  const missing = names.filter((name) => !owners.has(name));
  if (missing.length > 0) throw new FeatureWiringError(`No feature handles ${kind} ${missing.join(', ')}`);
  return Object.fromEntries(
    names.map((name) => [
      name,
      (...args: unknown[]) => {
        const handler = (instances.get(owners.get(name)!)![kind] as Record<string, (...args: unknown[]) => unknown>)[name];
        // The owner was found by this very name above; a handler gone since is a wiring mistake too.
        if (!handler) throw new FeatureWiringError(`${kind} ${name} lost its handler`);
        return handler(...args);
      },
    ]),
  );
}

export async function createAtlasCore(init: AtlasCoreInit): Promise<AtlasCore> {
  const given = coreOptions(init);
  const instances = new Map<Feature, FeatureInstance>();
  // Every text that leaves the core (log lines, error envelopes of methods and streams) loses the credentials the
  // client pool handed out and anything shaped like a secret, whichever feature produced it.
  const redact = (text: string) => {
    const pool = instances.get(awsFeature)?.exports;
    return pool instanceof AwsClientPool ? pool.redact(text) : redactSecrets(text);
  };
  const options: AtlasCoreOptions = { ...given, log: (line) => given.log(redact(line)) };
  const features = buildOrder(options.features ?? FEATURES);
  const events = new EventHub();
  const store = new SettingsStore(options.settingsPath);
  await store.load();
  for (const warning of store.warnings) options.log(warning);
  const settings = new EffectiveSettings(store, options.overrides);

  const exportsFor =
    (feature: Feature) =>
    <Dependency>(dependency: Feature<Dependency>): Dependency => {
      const instance = instances.get(dependency as Feature);
      if (!feature.dependsOn.includes(dependency as Feature) || !instance) {
        throw new FeatureWiringError(`Feature ${feature.name} asked for ${dependency.name} without declaring it in dependsOn`);
      }
      return instance.exports as Dependency;
    };
  // Each feature's context can rebuild only what that feature depends on (and, with it, their dependents).
  const build = (feature: Feature) => instances.set(feature, feature.create({ ...context, rebuild: rebuildFor(feature) }, exportsFor(feature)));
  const rebuild = (stale: readonly Feature[]) => {
    // Dependents are disposed before what they depend on, and created after it.
    for (const feature of [...stale].reverse()) void instances.get(feature)?.dispose?.();
    for (const feature of stale) build(feature);
  };
  const rebuildFor = (feature: Feature) => (dependency: Feature) => {
    if (!feature.dependsOn.includes(dependency)) throw new FeatureWiringError(`Feature ${feature.name} asked to rebuild ${dependency.name} without declaring it in dependsOn`);
    rebuild(withDependents(features, dependency));
  };

  const context: Omit<FeatureContext, 'rebuild'> = {
    options,
    settings: () => settings.get(),
    commandLineSettings: () => settings.commandLine(),
    settingsFile: { problems: store.warnings, keptAside: store.keptAside },
    updateSettings: async (patch) => {
      const { before, after } = await settings.update(patch);
      rebuild(staleFeatures(features, changedSettings(before, after)));
      return after;
    },
    emit: events.emit,
    log: options.log,
  };
  for (const feature of features) build(feature);

  const handlers = route(features, instances, METHOD_NAMES, 'methods') as AtlasHandlers;
  const streamHandlers = route(features, instances, STREAM_NAMES, 'streams') as StreamHandlers;
  const streams = new StreamRegistry(streamHandlers, options.log, redact);

  return {
    handlers,
    streamHandlers,
    dispatcher: createDispatcher(handlers, options.log, redact),
    streams,
    events,
    snapshotEvents: () => features.flatMap((feature) => instances.get(feature)?.snapshotEvents?.() ?? []),
    catalog: () => instances.get(catalogFeature)!.exports as CatalogService,
    settings: () => settings.get(),
    exportsOf: <Exports>(feature: Feature<Exports>): Exports => {
      const instance = instances.get(feature as Feature);
      if (!instance) throw new FeatureWiringError(`Feature ${feature.name} is not part of this core`);
      return instance.exports as Exports;
    },
    close: async () => {
      streams.cancelAll();
      for (const feature of [...features].reverse()) {
        try {
          await instances.get(feature)?.dispose?.();
        } catch (error) {
          options.log(`${feature.name} did not close cleanly: ${(error as Error).message}`);
        }
      }
    },
  };
}
