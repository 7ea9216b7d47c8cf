import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_SCHEMA_VERSION, CatalogDocumentSchema, type CatalogDocument } from '../../../src-shared/catalog/document';
import type { CacheMode } from '../../../src-shared/contract';
import { removeStaleTemporaries, writeFileAtomic } from '../storage/atomic-write';

/**
 * One cache file, three modes: `file` (desktop), `memory` (read-only settings: nothing touches the disk) and
 * `none` (serverless: always fetch). A file that cannot be trusted is ignored with a warning and replaced.
 */

export const CACHE_FILE_NAME = 'bedrock_catalog.json';
/** A real 33-region catalog is about 2 MB; a file far past that is not ours, and reading it would stall start-up. */
export const MAX_CACHE_FILE_BYTES = 50 * 1024 * 1024;

export function defaultCacheDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'bedrock-atlas');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'bedrock-atlas', 'cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'bedrock-atlas');
}

export function checksumOf(document: CatalogDocument): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('hex');
}

export interface CacheLoad {
  document: CatalogDocument | null;
  warnings: string[];
}

export interface CatalogCacheOptions {
  mode: CacheMode;
  /** null means the OS cache directory. */
  dir?: string | null;
  maxAgeMs: number;
  log?: (line: string) => void;
  now?: () => number;
}

export class CatalogCache {
  private modeInUse: CacheMode;
  private memory: CatalogDocument | null = null;
  readonly path: string | null;
  private readonly options: CatalogCacheOptions;

  constructor(options: CatalogCacheOptions) {
    this.options = options;
    this.modeInUse = options.mode;
    this.path = options.mode === 'file' ? join(options.dir ?? defaultCacheDir(), CACHE_FILE_NAME) : null;
  }

  /** The mode in effect: `file` degrades to `memory` when the directory cannot be written. */
  get mode(): CacheMode {
    return this.modeInUse;
  }

  async load(): Promise<CacheLoad> {
    if (this.modeInUse === 'none') return { document: null, warnings: [] };
    if (this.modeInUse === 'memory') {
      return this.memory && !this.isTooOld(this.memory) ? { document: this.memory, warnings: [] } : { document: null, warnings: [] };
    }
    await removeStaleTemporaries(this.path!);
    return this.loadFile(this.path!);
  }

  async save(document: CatalogDocument): Promise<string[]> {
    if (this.modeInUse === 'none') return [];
    if (this.modeInUse === 'memory') {
      this.memory = document;
      return [];
    }
    const stored = { ...document, source: 'api' as const };
    try {
      await mkdir(this.options.dir ?? defaultCacheDir(), { recursive: true });
      // `catalog --refresh` saves without loading first: killed writes' leftovers are swept here too.
      await removeStaleTemporaries(this.path!);
      await writeFileAtomic(this.path!, JSON.stringify({ ...stored, checksum: checksumOf(stored) }));
      return [];
    } catch (error) {
      this.modeInUse = 'memory';
      this.memory = document;
      const warning = `Cache directory is not writable (${(error as Error).message}); keeping the catalog in memory for this session.`;
      this.options.log?.(warning);
      return [warning];
    }
  }

  private isTooOld(document: CatalogDocument): boolean {
    const generated = Date.parse(document.generatedAt);
    const now = this.options.now?.() ?? Date.now();
    return !Number.isFinite(generated) || now - generated > this.options.maxAgeMs;
  }

  /** Reads the file only when it is a regular file within the size limit, judged on the file actually opened. */
  private async readWithinLimit(path: string): Promise<{ text: string } | { refused: string } | null> {
    let handle;
    try {
      // Non-blocking, so a FIFO planted at the cache path cannot hang start-up waiting for a writer.
      handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { refused: `Cache file ${path} cannot be read (${(error as Error).message})` };
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { refused: `Cache file ${path} is not a regular file` };
      if (info.size > MAX_CACHE_FILE_BYTES) {
        const megabytes = (size: number) => `${Number((size / 1024 / 1024).toFixed(1))} MB`;
        return { refused: `Cache file ${path} is ${megabytes(info.size)}, over the ${megabytes(MAX_CACHE_FILE_BYTES)} limit, so it was not read` };
      }
      return { text: await handle.readFile('utf8') };
    } catch (error) {
      return { refused: `Cache file ${path} cannot be read (${(error as Error).message})` };
    } finally {
      await handle.close();
    }
  }

  private async loadFile(path: string): Promise<CacheLoad> {
    const read = await this.readWithinLimit(path);
    if (read === null) return { document: null, warnings: [] };
    if ('refused' in read) return this.ignore(read.refused);
    const { text } = read;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.ignore(`Cache file ${path} is truncated or not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null) return this.ignore(`Cache file ${path} is not a catalog`);
    const { checksum, ...content } = parsed as Record<string, unknown>;
    if (content.schemaVersion !== CATALOG_SCHEMA_VERSION) {
      return this.ignore(
        `Cache file ${path} has schema version ${JSON.stringify(content.schemaVersion)}, this version reads ${CATALOG_SCHEMA_VERSION}`,
      );
    }
    // The checksum covers the content exactly as written (JSON.parse keeps key order), before validation reshapes it.
    if (typeof checksum !== 'string' || checksum !== checksumOf(content as CatalogDocument)) {
      return this.ignore(`Cache file ${path} fails its checksum (edited or damaged)`);
    }
    const validated = CatalogDocumentSchema.safeParse(content);
    if (!validated.success) return this.ignore(`Cache file ${path} does not match the catalog format`);
    if (this.isTooOld(validated.data)) {
      return this.ignore(`Cache file ${path} is older than ${Math.round(this.options.maxAgeMs / 3_600_000)} h`, false);
    }
    return { document: { ...validated.data, source: 'cache' }, warnings: [] };
  }

  private ignore(reason: string, damaged = true): CacheLoad {
    const warning = `${reason}; ignoring it${damaged ? ' and replacing it with fresh data' : ' and fetching fresh data'}.`;
    this.options.log?.(warning);
    return { document: null, warnings: [warning] };
  }
}
