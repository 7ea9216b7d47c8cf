import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_SCHEMA_VERSION, type CatalogDocument } from '../../../src-shared/catalog/document';
import { CACHE_FILE_NAME, CatalogCache, MAX_CACHE_FILE_BYTES } from './cache';

function documentAt(generatedAt: string): CatalogDocument {
  return {
    schemaVersion: CATALOG_SCHEMA_VERSION,
    generatedAt,
    source: 'api',
    regions: { 'eu-west-1': { status: 'ok', modelCount: 0, profileCount: 0 } },
    models: {},
    profiles: {},
  };
}

async function fileCache(): Promise<{ dir: string; path: string; cache: CatalogCache; logs: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-cache-'));
  const logs: string[] = [];
  const cache = new CatalogCache({ mode: 'file', dir, maxAgeMs: 3_600_000, log: (line) => logs.push(line) });
  return { dir, path: join(dir, CACHE_FILE_NAME), cache, logs };
}

/** The pid of a process that has exited, so no write of it can still be running. */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('catalog cache file hardening', () => {
  it('refuses a cache file over 50 MB without reading it, says so, and replaces it on the next save', async () => {
    const { path, cache, logs } = await fileCache();
    await writeFile(path, '');
    await truncate(path, 60 * 1024 * 1024);

    const load = await cache.load();

    expect(load.document).toBeNull();
    expect(load.warnings).toEqual([
      `Cache file ${path} is 60 MB, over the 50 MB limit, so it was not read; ignoring it and replacing it with fresh data.`,
    ]);
    expect(logs).toEqual(load.warnings);
    const fresh = documentAt(new Date().toISOString());
    expect(await cache.save(fresh)).toEqual([]);
    expect((await stat(path)).size).toBeLessThan(10_000);
    expect((await cache.load()).document).toMatchObject({ generatedAt: fresh.generatedAt, source: 'cache' });
  });

  it('still reads a file of exactly 50 MB (the limit is "over", and this one is judged as JSON)', async () => {
    const { path, cache } = await fileCache();
    await writeFile(path, '');
    await truncate(path, MAX_CACHE_FILE_BYTES);
    expect((await cache.load()).warnings).toEqual([expect.stringMatching(/is truncated or not JSON/)]);
  });

  it('refuses a cache path that is not a regular file', async () => {
    const { path, cache } = await fileCache();
    await mkdir(path);
    expect((await cache.load()).warnings).toEqual([expect.stringMatching(/is not a regular file; ignoring it/)]);
  });

  it('removes on load the temporary files that killed writes left, and keeps a live write of another process', async () => {
    const { dir, cache } = await fileCache();
    const dead = exitedPid();
    const killedWrite = `${CACHE_FILE_NAME}.${dead}.0a1b2c3d.tmp`;
    const abandonedLongAgo = `${CACHE_FILE_NAME}.${process.pid}.deadbeef.tmp`;
    const liveWrite = `${CACHE_FILE_NAME}.${process.ppid}.12345678.tmp`;
    const otherTarget = `settings.json.${dead}.0a1b2c3d.tmp`;
    for (const name of [killedWrite, abandonedLongAgo, liveWrite, otherTarget]) await writeFile(join(dir, name), '{"partial":');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(join(dir, abandonedLongAgo), twoMinutesAgo, twoMinutesAgo);

    expect(await cache.load()).toEqual({ document: null, warnings: [] });

    expect((await readdir(dir)).sort()).toEqual([liveWrite, otherTarget].sort());
  });

  it('removes killed writes\' temporary files when it only saves (catalog --refresh never loads)', async () => {
    const { dir, cache } = await fileCache();
    const dead = exitedPid();
    const leftovers = Array.from({ length: 11 }, (_, index) => `${CACHE_FILE_NAME}.${dead}.${index.toString(16).padStart(8, '0')}.tmp`);
    for (const name of leftovers) await writeFile(join(dir, name), '{"partial":');
    expect(await cache.save(documentAt(new Date().toISOString()))).toEqual([]);
    expect(await readdir(dir)).toEqual([CACHE_FILE_NAME]);
  });

  it('leaves no temporary file behind after saves', async () => {
    const { dir, cache } = await fileCache();
    await Promise.all(Array.from({ length: 5 }, () => cache.save(documentAt(new Date().toISOString()))));
    expect(await readdir(dir)).toEqual([CACHE_FILE_NAME]);
  });
});
