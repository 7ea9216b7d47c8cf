import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeStaleTemporaries, temporaryPathFor } from '../../storage/atomic-write';
import type { StoreTarget } from './target';

/**
 * A store in a directory (a local disk, a mounted share). A part is written to a temporary file beside its final
 * name (`<run id>.parquet.<pid>.<hex>.tmp`), flushed to disk, then renamed over the final name: a reader sees no
 * part or a whole one, and a process killed half-way leaves only a temporary file, which readers skip (its name
 * does not end in `.parquet`) and the next write into that directory sweeps once its process is gone.
 */

/** `<name>.parquet.<pid>.<8 hex>.tmp`: a part's temporary file (atomic-write's naming). */
const PART_TEMPORARY = /^(.+\.parquet)\.\d+\.[0-9a-f]{8}\.tmp$/;

/** Removes the temporary files killed writers left in `directory` (a live writer's young file stays). */
export async function sweepPartTemporaries(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const finals = new Set(names.flatMap((name) => PART_TEMPORARY.exec(name)?.[1] ?? []));
  const removed: string[] = [];
  for (const final of finals) removed.push(...(await removeStaleTemporaries(join(directory, final))));
  return removed;
}

async function syncDirectory(directory: string): Promise<void> {
  // The rename is durable once its directory is flushed; Windows cannot open a directory for that, and loses nothing
  // a reader could see without it.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function directoryTarget(root: string): StoreTarget {
  return {
    describe: (key) => join(root, ...key.split('/')),
    async put(key, bytes, signal) {
      signal?.throwIfAborted();
      const path = join(root, ...key.split('/'));
      try {
        await writePart(path, bytes, signal);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(`Could not write ${path}${code ? ` (${code})` : ''}: ${(error as Error).message.split('\n')[0]}`);
      }
    },
  };
}

async function writePart(path: string, bytes: Buffer, signal: AbortSignal | undefined): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  await sweepPartTemporaries(directory);
  const temporary = temporaryPathFor(path);
  const handle = await open(temporary, 'w', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    signal?.throwIfAborted();
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}
