import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultDataDir } from '../core/storage/history-database';
import { flagOf } from '../../src-shared/contract/settings';
import { UsageError } from './io';

export const HISTORY_FILE = 'history.duckdb';

/**
 * The data directory, checked before the core touches it. A read never creates anything; a write creates the
 * missing directories one level at a time, so a path that can never exist (`/proc/sys/x`, where a recursive mkdir
 * spins forever) fails at once with the reason, and a path through a file says "is a file".
 */
export async function checkDataDir(dataDir: string | null, fromCommandLine: boolean, mode: 'read' | 'write'): Promise<{ dir: string; exists: boolean }> {
  const dir = dataDir ?? defaultDataDir();
  const named = fromCommandLine ? `${flagOf('dataDir')?.name} ${dir}` : `The data directory ${dir}`;
  const missing: string[] = [];
  for (let path = dir; ; path = dirname(path)) {
    const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (!(found instanceof Error)) {
      if (!found.isDirectory()) throw new UsageError(`${named}: ${path} is a file, not a directory.`);
      break;
    }
    if (found.code !== 'ENOENT' && found.code !== 'ENOTDIR') throw new UsageError(`${named} cannot be used: ${found.code ?? found.message} at ${path}.`);
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  if (missing.length === 0) return { dir, exists: true };
  if (mode === 'read') return { dir, exists: false };
  for (const path of missing) {
    try {
      await mkdir(path, { mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new UsageError(`${named} cannot be created: ${code ?? (error as Error).message} at ${path}.`);
    }
  }
  return { dir, exists: true };
}

export const historyFileIn = (dir: string) => join(dir, HISTORY_FILE);
