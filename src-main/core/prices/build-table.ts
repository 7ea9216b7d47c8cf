import type { PriceRouteKind, PriceTier, RoutePrice, TokenPrices, UnusedPriceProduct } from '../../../src-shared/contract/prices';
import { BEDROCK_PRICE_SERVICE_CODES } from './fetch-price-list';
import { CatalogModelMatcher, type MatchableModel } from './model-match';
import { parsePriceDocument, productModelName, type PriceDocument } from './price-document';
import { PRICE_TABLE_SCHEMA_VERSION, type PriceTableFile } from './table-file';
import { readUnitPrice } from './unit-price';
import { readUsageType, type TokenKind } from './usage-type';

/**
 * The price table from Price List documents and the catalog's models: one row per model, region, route kind and
 * tier, USD per million input, output, cache-read and cache-write tokens, and every product that could not be
 * used, with why. A price the documents do not give stays null ("unknown"), never 0.
 */

export interface PriceRows {
  rows: RoutePrice[];
  unused: UnusedPriceProduct[];
  /** The latest publicationDate of the documents read; null when none had one. */
  asOf: string | null;
  products: { read: number; priced: number; unused: number; outOfScope: number };
  /** Why products were out of scope, with their counts (provisioned throughput, long context, …). */
  outOfScope: Record<string, number>;
}

interface Slot {
  perMillion: number | null;
  /** Every product that gave this price; all of them are listed when they disagree. */
  products: { document: PriceDocument; perMillion: number }[];
}

interface RowDraft {
  modelId: string;
  region: string;
  routeKind: PriceRouteKind;
  tier: PriceTier;
  slots: Partial<Record<TokenKind, Slot>>;
}

const TOKEN_KINDS: TokenKind[] = ['input', 'output', 'cacheRead', 'cacheWrite'];

function unusedOf(document: PriceDocument, reason: UnusedPriceProduct['reason'], extra: Pick<UnusedPriceProduct, 'detail' | 'candidates' | 'modelIds'> = {}): UnusedPriceProduct {
  const { attributes } = document.product;
  return {
    serviceCode: document.serviceCode,
    sku: document.product.sku,
    name: productModelName(document) ?? attributes.usagetype ?? document.product.sku,
    regionCode: attributes.regionCode ?? null,
    usageType: attributes.usagetype ?? '',
    reason,
    ...extra,
  };
}

const rowKey = (modelId: string, region: string, routeKind: PriceRouteKind, tier: PriceTier) => `${modelId}|${region}|${routeKind}|${tier}`;

export function buildPriceRows(entries: readonly unknown[], models: readonly MatchableModel[]): PriceRows {
  const matcher = new CatalogModelMatcher(models);
  const drafts = new Map<string, RowDraft>();
  const unused: UnusedPriceProduct[] = [];
  const outOfScope: Record<string, number> = {};
  let asOf: string | null = null;
  let read = 0;

  for (const entry of entries) {
    read++;
    const parsed = parsePriceDocument(entry);
    if ('error' in parsed) {
      unused.push({ serviceCode: parsed.serviceCode ?? '', sku: parsed.sku ?? '', name: '', regionCode: null, usageType: '', reason: 'unreadable-price', detail: parsed.error });
      continue;
    }
    const { document } = parsed;
    if (document.publicationDate && (asOf === null || document.publicationDate > asOf)) asOf = document.publicationDate;
    const usage = readUsageType(document.product.attributes.usagetype ?? '');
    if (usage.kind === 'out-of-scope') {
      outOfScope[usage.reason] = (outOfScope[usage.reason] ?? 0) + 1;
      continue;
    }
    const match = matcher.match([productModelName(document) ?? '', usage.modelToken ?? '']);
    const tiedTo = match.kind === 'matched' ? { modelIds: match.modelIds } : {};
    const price = readUnitPrice(document);
    if (!price.ok) {
      unused.push(unusedOf(document, price.reason, { detail: price.detail, ...tiedTo }));
      continue;
    }
    const region = document.product.attributes.regionCode;
    if (!region) {
      unused.push(unusedOf(document, 'unreadable-price', { detail: 'no regionCode', ...tiedTo }));
      continue;
    }
    if (match.kind === 'none') {
      unused.push(unusedOf(document, 'no-model'));
      continue;
    }
    if (match.kind === 'ambiguous') {
      unused.push(unusedOf(document, 'ambiguous-model', { candidates: match.candidates }));
      continue;
    }
    for (const modelId of match.modelIds) {
      const key = rowKey(modelId, region, usage.routeKind, usage.tier);
      const draft = drafts.get(key) ?? { modelId, region, routeKind: usage.routeKind, tier: usage.tier, slots: {} };
      drafts.set(key, draft);
      const slot = draft.slots[usage.tokenKind] ?? { perMillion: price.perMillion, products: [] };
      draft.slots[usage.tokenKind] = slot;
      if (!slot.products.some((given) => given.document.product.sku === document.product.sku)) slot.products.push({ document, perMillion: price.perMillion });
      if (slot.products.some((given) => given.perMillion !== price.perMillion)) slot.perMillion = null;
    }
  }

  const rows: RoutePrice[] = [];
  const conflicting = new Map<string, UnusedPriceProduct>();
  for (const draft of drafts.values()) {
    const perMillion: TokenPrices = { input: null, output: null, cacheRead: null, cacheWrite: null };
    const used: PriceDocument[] = [];
    for (const tokenKind of TOKEN_KINDS) {
      const slot = draft.slots[tokenKind];
      if (!slot) continue;
      perMillion[tokenKind] = slot.perMillion;
      if (slot.perMillion !== null) {
        used.push(...slot.products.map((given) => given.document));
        continue;
      }
      for (const { document, perMillion: own } of slot.products) {
        const others = slot.products.filter((other) => other.document !== document).map((other) => `${other.document.product.sku} says ${other.perMillion}`);
        const modelIds = [...(conflicting.get(document.product.sku)?.modelIds ?? []), draft.modelId];
        conflicting.set(document.product.sku, unusedOf(document, 'conflicting-price', { detail: `${own} USD per million here, ${others.join(', ')}`, modelIds }));
      }
    }
    if (used.length === 0) continue;
    rows.push({
      modelId: draft.modelId,
      region: draft.region,
      routeKind: draft.routeKind,
      tier: draft.tier,
      perMillion,
      serviceCode: [...new Set(used.map((document) => document.serviceCode))].sort().join(', '),
      skus: [...new Set(used.map((document) => document.product.sku))].sort(),
    });
  }
  unused.push(...conflicting.values());
  const withGeo = [...rows, ...geoRowsFromRegional(rows)].sort(
    (a, b) => a.modelId.localeCompare(b.modelId) || a.region.localeCompare(b.region) || a.routeKind.localeCompare(b.routeKind) || a.tier.localeCompare(b.tier),
  );
  const priced = new Set(withGeo.flatMap((row) => row.skus)).size;
  const outOfScopeCount = Object.values(outOfScope).reduce((sum, count) => sum + count, 0);
  return { rows: withGeo, unused, asOf, products: { read, priced, unused: unused.length, outOfScope: outOfScopeCount }, outOfScope };
}

/**
 * Geo rows the price list does not give apart. The price list prices on-demand tokens per source region in two
 * ways only: global ("-cross-region-global", the Marketplace's "… Global") and the rest, which the Marketplace's
 * descriptions call "Regional" ("Million Response Tokens Regional"). AWS's cross-region inference pages say a
 * profile is priced by its source region, and the global profile is the one priced apart ("approximately 10%
 * savings" against geographic cross-region inference, https://docs.aws.amazon.com/bedrock/latest/userguide/
 * global-cross-region-inference.html). LiteLLM's table agrees on real ids: its `us.`/`eu.` entries carry the
 * source region's regional price (eu.meta.llama3-2-3b-instruct-v1:0 at eu-central-1's $0.19 per million, the
 * us./eu. Claude Haiku 4.5 at the "Regional" $1.10 and $5.50), its `global.` entries the global one. So a geo
 * profile is billed at the in-region row's price, unless the list names a geo price itself ("-cross-region-geo").
 */
function geoRowsFromRegional(rows: readonly RoutePrice[]): RoutePrice[] {
  const listed = new Set(rows.filter((row) => row.routeKind === 'geo').map((row) => rowKey(row.modelId, row.region, 'geo', row.tier)));
  return rows
    .filter((row) => row.routeKind === 'in-region' && !listed.has(rowKey(row.modelId, row.region, 'geo', row.tier)))
    .map((row) => ({ ...row, routeKind: 'geo' as const, derivedFrom: 'in-region' as const }));
}

/** The table file for documents read from `source`, matched against the catalog of `catalogGeneratedAt`. */
export function priceTableFile(
  entries: readonly unknown[],
  models: readonly MatchableModel[],
  meta: { generatedAt: string; source: PriceTableFile['source']; catalogGeneratedAt: string | null },
): PriceTableFile {
  const built = buildPriceRows(entries, models);
  return {
    schemaVersion: PRICE_TABLE_SCHEMA_VERSION,
    asOf: built.asOf,
    generatedAt: meta.generatedAt,
    source: meta.source,
    serviceCodes: [...BEDROCK_PRICE_SERVICE_CODES],
    catalogGeneratedAt: meta.catalogGeneratedAt,
    products: built.products,
    outOfScope: built.outOfScope,
    rows: built.rows,
    unused: built.unused,
  };
}
