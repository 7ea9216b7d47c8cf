import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import type { FleetProblem, FleetSyncProgress, FleetSyncResult } from '../../../../src-shared/contract/fleet';
import { temporaryPathFor } from '../../storage/atomic-write';
import type { HistoryStatements } from '../../storage/history-database';
import { compactPartitions } from './compact';
import { inspectPart, problemOf } from './inspect-part';
import { StoreReadError, type RemotePart, type StoreSource } from './store-source';
import type { CachedPart, TeamCache, TeamManifest } from './team-cache';

/**
 * One sync of a team store into its local cache: list every part (every page), fetch only those that are new or
 * whose version changed, read each fetched part once (corrupt or newer-schema parts are named), drop the cached
 * parts the store no longer has, and write the manifest. A part that fails is named and the rest go on; a store
 * that cannot be listed leaves the cache as it was. Cancelling stops further fetches: the parts that finished are
 * kept (and in the manifest), the ones in flight are abandoned (their temporary files removed).
 */

export const SYNC_CONCURRENCY = 8;

export interface SyncStoreOptions {
  source: StoreSource;
  cache: TeamCache;
  /** A DuckDB connection to read each fetched part with (any: the check reads only the part). */
  engine: HistoryStatements;
  /** The store schema version this reader knows (FLEET_SCHEMA_VERSION). */
  knownSchemaVersion: number;
  signal: AbortSignal;
  /** Parts fetched at once. */
  concurrency?: number;
  onProgress?: (progress: FleetSyncProgress) => void;
  syncId?: string;
  now?: () => Date;
}

export interface SyncOutcome {
  result: FleetSyncResult;
  manifest: TeamManifest;
}

const isAbort = (error: unknown, signal: AbortSignal) => signal.aborted || (error as Error).name === 'AbortError';

export async function syncStore(options: SyncStoreOptions): Promise<SyncOutcome> {
  const { source, cache, engine, signal } = options;
  const now = options.now ?? (() => new Date());
  const syncId = options.syncId ?? randomUUID();
  const startedAt = now().toISOString();
  const manifest = await cache.load();
  await cache.sweepTemporaries();
  const totals = { listed: 0, downloaded: 0, skipped: 0, failed: 0, bytes: 0 };
  const problems: FleetProblem[] = cache.warnings.map((message) => ({ kind: 'corrupt' as const, message }));
  let toDownload = 0;
  const report = (phase: FleetSyncProgress['phase']) => options.onProgress?.({ syncId, phase, toDownload, ...totals });
  const finish = async (status: FleetSyncResult['status'], removed = 0): Promise<SyncOutcome> => {
    const result: FleetSyncResult = { syncId, location: cache.location, status, startedAt, finishedAt: now().toISOString(), removed, problems, ...totals };
    manifest.lastSync = result;
    if (status === 'completed' || status === 'partial') manifest.lastSyncAt = result.finishedAt;
    await cache.save(manifest);
    report('done');
    return { result, manifest };
  };

  report('listing');
  let listed: RemotePart[];
  try {
    listed = await source.list(signal, (found) => {
      totals.listed = found;
      report('listing');
    });
  } catch (error) {
    if (isAbort(error, signal)) return finish('cancelled');
    const kind = error instanceof StoreReadError ? error.kind : 'unreachable';
    problems.push({ kind, message: `${(error as Error).message} The last synced data stays readable.` });
    return finish('unreachable');
  }
  totals.listed = listed.length;

  // Every cached file is looked at at once: a sync with nothing new is a listing and these checks.
  const unchanged = await Promise.all(
    listed.map(async (part) => {
      const cached = manifest.parts[part.key];
      return Boolean(cached && cached.version === part.version && (cached.file === null || (await cache.exists(cached.file))));
    }),
  );
  const wanted = listed.filter((_, index) => !unchanged[index]);
  totals.skipped = listed.length - wanted.length;
  toDownload = wanted.length;
  report('downloading');

  const limit = pLimit(options.concurrency ?? SYNC_CONCURRENCY);
  const fetchOne = async (part: RemotePart): Promise<void> => {
    if (signal.aborted) return;
    const inPlace = source.inPlace(part);
    const destination = inPlace ?? cache.partPath(part.key, part.version);
    const replaced = manifest.parts[part.key]?.file;
    const temporary = inPlace ?? temporaryPathFor(destination);
    try {
      let bytes = 0;
      if (!inPlace) {
        await mkdir(dirname(destination), { recursive: true, mode: 0o700 });
        bytes = await source.fetch(part, temporary, signal);
        // A body cut short (a connection dropped mid-download) is a failed download, not a corrupt part.
        if (bytes !== part.size) throw new Error(`${part.key} arrived incomplete (${bytes} of ${part.size} bytes).`);
      }
      const check = await inspectPart(engine, temporary, part.key, options.knownSchemaVersion);
      if (check.state === 'corrupt') {
        if (!inPlace) await rm(temporary, { force: true });
      } else if (!inPlace) {
        await rename(temporary, destination);
      }
      // The version it replaces, if cached (a part read in place is the store's own file, never removed).
      if (!inPlace && replaced && replaced !== destination && replaced.startsWith(cache.dir)) await rm(replaced, { force: true });
      const entry: CachedPart = { key: part.key, version: part.version, size: part.size, file: check.state === 'corrupt' ? null : destination, syncedAt: now().toISOString(), check };
      manifest.parts[part.key] = entry;
      totals.downloaded++;
      totals.bytes += bytes;
    } catch (error) {
      if (!inPlace) await rm(temporary, { force: true });
      if (isAbort(error, signal)) return;
      totals.failed++;
      problems.push({ kind: 'download-failed', part: part.key, message: `${(error as Error).message.split('\n')[0]} It is tried again next sync.` });
    }
    report('downloading');
  };
  // A task still queued when the signal aborts starts, sees it, and ends at once: nothing more is fetched.
  await Promise.all(wanted.map((part) => limit(() => fetchOne(part))));
  if (signal.aborted) return finish('cancelled');

  // The store is the truth: a part it no longer has is no longer read.
  const present = new Set(listed.map((part) => part.key));
  let removed = 0;
  for (const [key, part] of Object.entries(manifest.parts)) {
    if (present.has(key)) continue;
    if (part.file && part.file.startsWith(cache.dir)) await rm(part.file, { force: true });
    delete manifest.parts[key];
    removed++;
  }
  for (const part of Object.values(manifest.parts)) {
    const problem = problemOf(part.key, part.check);
    if (problem) problems.push(problem);
  }
  report('compacting');
  await compactPartitions(engine, cache.dir, manifest, signal);
  return finish(totals.failed > 0 ? 'partial' : 'completed', removed);
}
