import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetSyncResult } from '../../../../src-shared/contract/fleet';
import { STALE_TEMPORARY_AGE_MS, writeFileAtomic } from '../../storage/atomic-write';
import { compactedFor, readablePartitions, type CompactedPartition } from './compact';
import type { PartCheck } from './inspect-part';

/**
 * The local copy of one team store: its parts under `parts/` (the store's own paths, so DuckDB's Hive partitioning
 * reads them as it would the store), and a manifest of what is cached, each part with the version it was fetched
 * at and what reading it found. Every part and the manifest are written whole (a temporary file renamed into place):
 * a sync killed half-way leaves the parts it finished, and the next one fetches the rest.
 */

export interface CachedPart {
  key: string;
  /** S3's ETag, or a directory file's size and modification time, when it was fetched. */
  version: string;
  size: number;
  /** Where it is read from: in the cache, or the store's own file (a directory read in place); null when corrupt. */
  file: string | null;
  syncedAt: string;
  check: PartCheck;
}

export interface TeamManifest {
  format: 1;
  location: string;
  parts: Record<string, CachedPart>;
  /** When a sync last listed the store whole. */
  lastSyncAt: string | null;
  lastSync: FleetSyncResult | null;
  /** Each partition's parts compacted into one file (see compact.ts); absent in a manifest from before. */
  compacted?: Record<string, CompactedPartition>;
}

const MANIFEST = 'manifest.json';
const TEMPORARY = /\.\d+\.[0-9a-f]{8}\.tmp$/;

export class TeamCache {
  /** Why the manifest could not be read (it is then started afresh, and every part fetched again). */
  readonly warnings: string[] = [];

  constructor(
    /** This store's directory in the cache. */
    readonly dir: string,
    readonly location: string,
  ) {}

  /**
   * One directory per store location under `<data dir>/team-store/`, so switching stores keeps each one's cache; a
   * directory read in place has a manifest of its own (its parts stay in the store).
   */
  static forLocation(dataDir: string, location: string, mode: 'copy' | 'in-place' = 'copy'): TeamCache {
    const id = createHash('sha256').update(mode === 'copy' ? location : `${mode} ${location}`).digest('hex').slice(0, 16);
    return new TeamCache(join(dataDir, 'team-store', id), location);
  }

  /**
   * Where a version of a part is cached: its store path, the version's hash in its name. A changed part is a new
   * file, never the old one rewritten, as DuckDB may keep a file's footer cached by its path.
   */
  partPath(key: string, version: string): string {
    const path = join(this.dir, 'parts', ...key.split('/'));
    const tag = createHash('sha256').update(version).digest('hex').slice(0, 12);
    return path.endsWith('.parquet') ? `${path.slice(0, -'.parquet'.length)}.${tag}.parquet` : `${path}.${tag}`;
  }

  async load(): Promise<TeamManifest> {
    const empty: TeamManifest = { format: 1, location: this.location, parts: {}, lastSyncAt: null, lastSync: null };
    let text: string;
    try {
      text = await readFile(join(this.dir, MANIFEST), 'utf8');
    } catch {
      return empty;
    }
    try {
      const saved = JSON.parse(text) as Partial<TeamManifest>;
      if (saved.format !== 1 || typeof saved.parts !== 'object' || saved.parts === null) throw new Error('not a manifest of this version');
      return { ...empty, ...saved, location: this.location, parts: saved.parts };
    } catch (error) {
      this.warnings.push(`The team data cache's manifest in ${this.dir} could not be read (${(error as Error).message}); every part is fetched again.`);
      return empty;
    }
  }

  async save(manifest: TeamManifest): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.dir, MANIFEST), `${JSON.stringify(manifest)}\n`);
  }

  async exists(file: string): Promise<boolean> {
    return stat(file).then((info) => info.isFile(), () => false);
  }

  /** Removes what killed syncs left: temporary part files older than a write can take. */
  async sweepTemporaries(now = Date.now()): Promise<void> {
    const sweep = async (directory: string): Promise<void> => {
      const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) await sweep(path);
        else if (TEMPORARY.test(entry.name)) {
          const info = await stat(path).catch(() => null);
          if (info && now - info.mtimeMs > STALE_TEMPORARY_AGE_MS) await rm(path, { force: true });
        }
      }
    };
    await sweep(join(this.dir, 'parts'));
  }
}

/**
 * The files a query reads: every readable cached part (newer-schema parts too, for the columns known), a partition's
 * compacted file in place of its parts when it holds exactly them.
 */
export function readableFiles(manifest: TeamManifest): { samples: string[]; runs: string[] } {
  const files = { samples: [] as string[], runs: [] as string[] };
  for (const [partition, parts] of readablePartitions(manifest)) {
    const table = partition.startsWith('samples/') ? files.samples : partition.startsWith('runs/') ? files.runs : null;
    if (!table) continue;
    const compacted = compactedFor(manifest, partition, parts);
    if (compacted) table.push(compacted);
    else table.push(...parts.map((part) => part.file!));
  }
  files.samples.sort();
  files.runs.sort();
  return files;
}
