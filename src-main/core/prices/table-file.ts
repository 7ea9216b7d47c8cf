import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { PRICE_ROUTE_KINDS, PRICE_TIERS } from '../../../src-shared/contract/prices';
import { writeFileAtomic } from '../storage/atomic-write';

/**
 * The price table as a file: the bundled `bundled/bedrock_prices.json` made by `npm run prices:refresh`, and the
 * cache file the app writes after each fetch. Versioned and validated on every read: a file of another schema, a
 * damaged one or a foreign one is refused with the reason, and the caller falls back and says so.
 */

export const PRICE_TABLE_SCHEMA_VERSION = 1;
export const PRICE_TABLE_FILE_NAME = 'bedrock_prices.json';
/** The whole real price list makes a table of a few hundred kilobytes; a file far past that is not ours. */
export const MAX_PRICE_TABLE_BYTES = 20 * 1024 * 1024;

const nullablePrice = z.number().nonnegative().finite().nullable();

const RoutePriceSchema = z.object({
  modelId: z.string().min(1),
  region: z.string().min(1),
  routeKind: z.enum(PRICE_ROUTE_KINDS),
  tier: z.enum(PRICE_TIERS),
  perMillion: z.object({ input: nullablePrice, output: nullablePrice, cacheRead: nullablePrice, cacheWrite: nullablePrice }),
  serviceCode: z.string(),
  skus: z.array(z.string()),
  derivedFrom: z.literal('in-region').optional(),
});

const UnusedProductSchema = z.object({
  serviceCode: z.string(),
  sku: z.string(),
  name: z.string(),
  regionCode: z.string().nullable(),
  usageType: z.string(),
  reason: z.enum(['no-model', 'ambiguous-model', 'unknown-unit', 'unknown-currency', 'unreadable-price', 'conflicting-price']),
  detail: z.string().optional(),
  candidates: z.array(z.string()).optional(),
  modelIds: z.array(z.string()).optional(),
});

export const PriceTableFileSchema = z.object({
  schemaVersion: z.literal(PRICE_TABLE_SCHEMA_VERSION),
  /** The latest publication date of the price documents. */
  asOf: z.iso.datetime().nullable(),
  /** When the price list was read. */
  generatedAt: z.iso.datetime(),
  /**
   * Where the documents came from: `aws` (the Price List endpoint, named), `emulator`, or `fixtures` (the recorded
   * real sample documents in src-main/core/prices/fixtures, when neither was at hand).
   */
  source: z.object({ kind: z.enum(['aws', 'emulator', 'fixtures']), endpoint: z.string().nullable(), note: z.string() }),
  serviceCodes: z.array(z.string()),
  /** The catalog the products were matched against, by its date. */
  catalogGeneratedAt: z.string().nullable(),
  products: z.object({ read: z.number().int().nonnegative(), priced: z.number().int().nonnegative(), unused: z.number().int().nonnegative(), outOfScope: z.number().int().nonnegative() }),
  outOfScope: z.record(z.string(), z.number().int().nonnegative()),
  rows: z.array(RoutePriceSchema),
  unused: z.array(UnusedProductSchema),
});
export type PriceTableFile = z.infer<typeof PriceTableFileSchema>;

/** A readable table, or why the file cannot be used (missing, unreadable, not JSON, another schema). */
export type TableFileRead = { table: PriceTableFile } | { problem: string; missing: boolean };

async function readWithinLimit(path: string): Promise<{ text: string } | { problem: string; missing: boolean }> {
  let handle;
  try {
    // Non-blocking, so a FIFO planted at the path cannot hang the app waiting for a writer.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { problem: missing ? `${path} does not exist` : `${path} cannot be read (${(error as Error).message})`, missing };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: `${path} is not a regular file`, missing: false };
    if (info.size > MAX_PRICE_TABLE_BYTES) return { problem: `${path} is ${info.size} bytes, over the ${MAX_PRICE_TABLE_BYTES}-byte limit`, missing: false };
    return { text: await handle.readFile('utf8') };
  } catch (error) {
    return { problem: `${path} cannot be read (${(error as Error).message})`, missing: false };
  } finally {
    await handle.close();
  }
}

export async function readPriceTableFile(path: string): Promise<TableFileRead> {
  const read = await readWithinLimit(path);
  if ('problem' in read) return read;
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    return { problem: `${path} is truncated or not JSON`, missing: false };
  }
  const version = typeof parsed === 'object' && parsed !== null && 'schemaVersion' in parsed ? parsed.schemaVersion : undefined;
  if (version !== PRICE_TABLE_SCHEMA_VERSION) {
    return { problem: `${path} has schema version ${JSON.stringify(version ?? null)}, this version reads ${PRICE_TABLE_SCHEMA_VERSION}`, missing: false };
  }
  const validated = PriceTableFileSchema.safeParse(parsed);
  if (!validated.success) {
    const issue = validated.error.issues[0];
    return { problem: `${path} is not a price table (${issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'invalid'})`, missing: false };
  }
  return { table: validated.data };
}

/** Writes the table atomically: a reader sees the old file or the new one, never a torn one. */
export async function writePriceTableFile(path: string, table: PriceTableFile, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(table, null, 1)}\n`, mode);
}
