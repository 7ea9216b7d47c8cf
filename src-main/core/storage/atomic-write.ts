import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Atomic writes: readers see the old content or the new, never a torn file. The temporary file sits next to the
 * target as `<name>.<pid>.<8 hex>.tmp`, so a write killed half-way leaves a file that `removeStaleTemporaries`
 * recognises on the next start and can tell apart from another process's write in progress.
 */

/** A write in progress takes milliseconds; a temporary file this old was abandoned, whatever its pid says now. */
export const STALE_TEMPORARY_AGE_MS = 60_000;

/** Where a write of `path` by this process puts its content before the rename. */
export function temporaryPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

export async function writeFileAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  const temporary = temporaryPathFor(path);
  const handle = await open(temporary, 'w', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export interface StaleTemporarySweep {
  now?: () => number;
  /** Whether a process with this id is running; pids are reused, so only age proves a live pid's file abandoned. */
  isRunning?: (pid: number) => boolean;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes the temporary files that killed writes of `path` left behind: those whose process is gone, and those
 * older than a minute. A live write of another process (young file, running pid) is left alone. Returns the
 * removed file names. A missing directory, or a file that vanishes meanwhile, is not an error.
 */
export async function removeStaleTemporaries(path: string, sweep: StaleTemporarySweep = {}): Promise<string[]> {
  const directory = dirname(path);
  const pattern = new RegExp(`^${escapeRegExp(basename(path))}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const now = sweep.now?.() ?? Date.now();
  const running = sweep.isRunning ?? isRunning;
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const file = join(directory, name);
    try {
      const info = await stat(file);
      if (!info.isFile()) continue;
      if (running(Number(match[1])) && now - info.mtimeMs < STALE_TEMPORARY_AGE_MS) continue;
      await rm(file, { force: true });
      removed.push(name);
    } catch {
      // Renamed into place or removed by its writer since the listing: nothing left to clean.
    }
  }
  return removed;
}
