import type { CatalogSnapshot } from '../../src-shared/contract';
import type { AtlasEvent } from '../../src-shared/events';
import { describeAge } from '../../src-shared/describe-age';
import { createAtlasCore } from '../core/app/atlas-core';
import { readAwsOptions, readCatalogOptions } from './options';
import { BUNDLED_CATALOG, projectFile } from './project-files';
import type { CommandIo } from './io';

function progressLine(event: AtlasEvent): string | null {
  if (event.type !== 'catalog.progress') return null;
  const { region, phase, completed, total } = event.payload;
  const position = `[${String(completed).padStart(2)}/${total}]`;
  if (phase === 'done') {
    return `${position} ${region.padEnd(15)} ok      ${event.payload.modelCount} models, ${event.payload.profileCount} profiles, ${event.payload.durationMs} ms`;
  }
  if (phase === 'failed') return `${position} ${region.padEnd(15)} FAILED  ${event.payload.error?.code}: ${event.payload.error?.message}`;
  return null;
}

/**
 * The catalog as a one-shot command needs it: the shared options applied, per-region progress and warnings on
 * stderr, the core closed before returning. `fresh` skips the cache (`--refresh`).
 */
export async function loadCatalog(opts: Record<string, unknown>, io: CommandIo, version: string, fresh = false): Promise<CatalogSnapshot> {
  const aws = readAwsOptions(opts);
  const cache = readCatalogOptions(opts);
  const core = await createAtlasCore({
    name: 'bedrock-atlas',
    version,
    transport: 'web',
    settingsPath: null,
    overrides: {
      ...(aws.regions ? { regions: aws.regions } : {}),
      awsProfile: aws.profile,
      cacheMode: cache.cacheMode,
      cacheDir: cache.cacheDir,
      maxAgeHours: cache.maxAgeHours,
    },
    endpointUrl: aws.endpointUrl,
    bundledPath: cache.bundled ? projectFile(BUNDLED_CATALOG) : null,
    log: (line) => io.stderr(line),
  });
  const unsubscribe = core.events.subscribe((event) => {
    const line = progressLine(event);
    if (line) io.stderr(line);
  });
  try {
    const snapshot = await core.catalog().get({ fresh });
    for (const warning of snapshot.meta.warnings) io.stderr(`warning: ${warning}`);
    io.stderr(
      `source: ${snapshot.meta.source}${snapshot.meta.simulated ? ' (simulated)' : ''}, data from ${snapshot.document.generatedAt} (${describeAge(snapshot.meta.ageMs)})${snapshot.meta.cachePath ? `, cache ${snapshot.meta.cachePath}` : ''}`,
    );
    return snapshot;
  } finally {
    unsubscribe();
    core.close();
  }
}
