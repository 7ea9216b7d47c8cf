import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { removeStaleTemporaries, temporaryPathFor, writeFileAtomic } from '../../storage/atomic-write';
import { isPartKey } from './layout';

/**
 * The store's local spool: every cycle's parts are kept here before they are sent, and removed once the store has
 * them all, so a store that is away (S3 down, denied, slow) or a process killed mid-upload loses nothing: the next
 * write or flush, in this process or the next, sends what is here, oldest first. One file per cycle, written
 * atomically (temporary file, flush, rename), holding all its parts, so a cycle is spooled whole or not at all.
 * The spool is bounded: a cycle that would pass the bound first drops the oldest cycles, and what was dropped is
 * counted in `dropped.json` (kept across restarts) for the status to say.
 *
 * A spool file: the line `bedrock-atlas spool 1`, a JSON line {runId, samples, parts: [{key, length}]}, then the
 * parts' bytes one after the other.
 */

export const DEFAULT_SPOOL_MAX_BYTES = 100 * 1024 * 1024;

const MAGIC = 'bedrock-atlas spool 1\n';
/** `<ms, 15 digits>-<sequence, 6 digits>-<run id>.cycle`: names sort oldest first. */
const ENTRY_NAME = /^(\d{15})-(\d{6})-(.+)\.cycle$/;
const DROPPED_FILE = 'dropped.json';

export interface SpooledPart {
  key: string;
  bytes: Buffer;
}

export interface SpoolEntry {
  /** The file's name: its place in the queue. */
  name: string;
  runId: string;
  samples: number;
  size: number;
}

export interface DroppedCount {
  cycles: number;
  samples: number;
}

export interface SpoolAddResult {
  /** False when the cycle alone is larger than the spool's bound, or the spool cannot be written. */
  spooled: boolean;
  /** Older cycles dropped to make room for it. */
  dropped: SpoolEntry[];
}

function readDroppedSync(directory: string): DroppedCount {
  try {
    const parsed = JSON.parse(readFileSync(join(directory, DROPPED_FILE), 'utf8')) as Partial<DroppedCount>;
    return { cycles: Number(parsed.cycles) || 0, samples: Number(parsed.samples) || 0 };
  } catch {
    return { cycles: 0, samples: 0 };
  }
}

function entryOf(name: string, size: number): SpoolEntry | null {
  const match = ENTRY_NAME.exec(name);
  if (!match?.[3]) return null;
  // The sample count is in the file's header; the queue needs only the name and size.
  return { name, runId: match[3], samples: 0, size };
}

export class Spool {
  private sequence = 0;
  private droppedCount: DroppedCount;
  private entryCount: number;

  constructor(
    readonly directory: string,
    readonly maxBytes: number = DEFAULT_SPOOL_MAX_BYTES,
    private readonly now: () => number = Date.now,
  ) {
    // Read once, synchronously, so a sink's status is right from its first look (a previous process's leftovers).
    this.droppedCount = readDroppedSync(directory);
    this.entryCount = this.countEntriesSync();
  }

  private countEntriesSync(): number {
    try {
      return readdirSync(this.directory).filter((name) => ENTRY_NAME.test(name) && statSync(join(this.directory, name), { throwIfNoEntry: false })?.isFile()).length;
    } catch {
      return 0;
    }
  }

  /** Cycles waiting to be sent (as of the spool's last look). */
  get pending(): number {
    return this.entryCount;
  }

  /** Cycles and samples dropped because the spool was full, across restarts. */
  get dropped(): DroppedCount {
    return { ...this.droppedCount };
  }

  /** The spooled cycles, oldest first. Temporary files of killed writes are swept on the way. */
  async entries(): Promise<SpoolEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      this.entryCount = 0;
      return [];
    }
    const entries: SpoolEntry[] = [];
    for (const name of names.sort()) {
      if (name.endsWith('.tmp')) {
        const final = /^(.+?\.cycle)\.\d+\.[0-9a-f]{8}\.tmp$/.exec(name)?.[1];
        if (final) await removeStaleTemporaries(join(this.directory, final));
        continue;
      }
      const info = await stat(join(this.directory, name)).catch(() => null);
      const entry = info?.isFile() ? entryOf(name, info.size) : null;
      if (entry) entries.push(entry);
    }
    this.entryCount = entries.length;
    return entries;
  }

  /**
   * Spools a cycle's parts, replacing an older spooled copy of the same run. When the spool would pass its bound
   * the oldest cycles are dropped (and counted) until it fits; a cycle larger than the bound alone is not spooled.
   */
  async add(runId: string, samples: number, parts: readonly SpooledPart[]): Promise<SpoolAddResult> {
    const header = JSON.stringify({ runId, samples, parts: parts.map((part) => ({ key: part.key, length: part.bytes.length })) });
    const content = Buffer.concat([Buffer.from(`${MAGIC}${header}\n`), ...parts.map((part) => part.bytes)]);
    if (content.length > this.maxBytes) return { spooled: false, dropped: [] };
    mkdirSync(this.directory, { recursive: true });
    const existing = await this.entries();
    const replaced = existing.filter((entry) => entry.runId === runId);
    const others = existing.filter((entry) => entry.runId !== runId);
    let total = others.reduce((sum, entry) => sum + entry.size, 0);
    const dropped: SpoolEntry[] = [];
    for (const entry of others) {
      if (total + content.length <= this.maxBytes) break;
      dropped.push({ ...entry, samples: await this.sampleCount(entry.name) });
      total -= entry.size;
    }
    const name = `${String(this.now()).padStart(15, '0')}-${String(this.sequence++ % 1_000_000).padStart(6, '0')}-${runId}.cycle`;
    const path = join(this.directory, name);
    const temporary = temporaryPathFor(path);
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path).catch(async (error: unknown) => {
      await rm(temporary, { force: true });
      throw error;
    });
    for (const entry of [...replaced, ...dropped]) await rm(join(this.directory, entry.name), { force: true });
    if (dropped.length > 0) await this.countDropped(dropped.length, dropped.reduce((sum, entry) => sum + entry.samples, 0));
    this.entryCount = others.length - dropped.length + 1;
    return { spooled: true, dropped };
  }

  private async sampleCount(name: string): Promise<number> {
    const header = await this.readHeader(name);
    return header?.samples ?? 0;
  }

  private async readHeader(name: string): Promise<{ runId: string; samples: number; parts: { key: string; length: number }[]; offset: number } | null> {
    let content: Buffer;
    try {
      content = await readFile(join(this.directory, name));
    } catch {
      return null;
    }
    return parseHeader(content);
  }

  /** A spooled cycle's parts, or null when its file is gone or not a spool file (then it is removed and counted). */
  async read(entry: SpoolEntry): Promise<{ samples: number; parts: SpooledPart[] } | null> {
    let content: Buffer;
    try {
      content = await readFile(join(this.directory, entry.name));
    } catch {
      return null;
    }
    const header = parseHeader(content);
    if (!header) {
      await this.remove(entry);
      await this.countDropped(1, 0);
      return null;
    }
    let offset = header.offset;
    const parts = header.parts.map((part) => {
      const bytes = content.subarray(offset, offset + part.length);
      offset += part.length;
      return { key: part.key, bytes };
    });
    return { samples: header.samples, parts };
  }

  async remove(entry: SpoolEntry): Promise<void> {
    await rm(join(this.directory, entry.name), { force: true });
    this.entryCount = Math.max(0, this.entryCount - 1);
  }

  /** Counts a cycle lost without being spooled (larger than the whole spool, or the spool unwritable). */
  async countDropped(cycles: number, samples: number): Promise<void> {
    this.droppedCount = { cycles: this.droppedCount.cycles + cycles, samples: this.droppedCount.samples + samples };
    try {
      mkdirSync(this.directory, { recursive: true });
      await writeFileAtomic(join(this.directory, DROPPED_FILE), `${JSON.stringify(this.droppedCount)}\n`);
    } catch {
      // The count stands in memory for this process's status; a spool that cannot be written says so elsewhere.
    }
  }
}

/** The header of a spool file, or null when the file is not one (truncated, foreign, or its lengths disagree). */
function parseHeader(content: Buffer): { runId: string; samples: number; parts: { key: string; length: number }[]; offset: number } | null {
  if (!content.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) return null;
  const end = content.indexOf(0x0a, MAGIC.length);
  if (end === -1) return null;
  try {
    const header = JSON.parse(content.subarray(MAGIC.length, end).toString('utf8')) as { runId?: unknown; samples?: unknown; parts?: unknown };
    if (typeof header.runId !== 'string' || !Array.isArray(header.parts)) return null;
    const parts = header.parts.filter(
      (part): part is { key: string; length: number } => typeof part?.key === 'string' && isPartKey(part.key) && Number.isInteger(part?.length) && part.length >= 0,
    );
    if (parts.length !== header.parts.length) return null;
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    if (end + 1 + length !== content.length) return null;
    return { runId: header.runId, samples: Number(header.samples) || 0, parts, offset: end + 1 };
  } catch {
    return null;
  }
}
