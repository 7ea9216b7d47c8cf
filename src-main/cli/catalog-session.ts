import type { CatalogSnapshot } from '../../src-shared/contract';
import type { AtlasEvent } from '../../src-shared/events';
import { describeAge } from '../../src-shared/describe-age';
import { openCommandCore } from './command-core';
import { callMethod } from './core-calls';
import type { SharedOptions } from './options';
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
export async function loadCatalog(shared: SharedOptions, io: CommandIo, version: string, fresh = false): Promise<CatalogSnapshot> {
  const core = await openCommandCore(shared, io, version);
  const unsubscribe = core.events.subscribe((event) => {
    const line = progressLine(event);
    if (line) io.stderr(line);
  });
  try {
    // `--refresh` is the waterfall without its cache step, which no contract method offers (refreshCatalog merges a
    // scan into what is loaded, and nothing is loaded yet in a one-shot command).
    const snapshot = fresh ? await core.catalog().get({ fresh: true }) : await callMethod(core, 'getCatalog', undefined);
    for (const warning of snapshot.meta.warnings) io.stderr(`warning: ${warning}`);
    io.stderr(
      `source: ${snapshot.meta.source}${snapshot.meta.simulated ? ' (simulated)' : ''}, data from ${snapshot.document.generatedAt} (${describeAge(snapshot.meta.ageMs)})${snapshot.meta.cachePath ? `, cache ${snapshot.meta.cachePath}` : ''}`,
    );
    return snapshot;
  } finally {
    unsubscribe();
    await core.close();
  }
}
