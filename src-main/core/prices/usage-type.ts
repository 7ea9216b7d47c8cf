import type { PriceRouteKind, PriceTier, TokenPrices } from '../../../src-shared/contract/prices';

/**
 * What a Price List product prices, read from its usage type (the grammar in fixtures/README.md, from the real
 * documents):
 *
 * - AmazonBedrock and AmazonBedrockService: `<REGION PREFIX>-<Model>-<direction>[-<variant>…]`, e.g.
 *   "USE1-Claude4Sonnet-cache-write-input-token-count-cross-region-global" or "EUS1-Nova2.0Lite-output-tokens-flex".
 *   No route variant means in-region on demand; `-cross-region-global` is the global profile, `-cross-region-geo` a
 *   geographic one.
 * - AmazonBedrockFoundationModels (Marketplace): `<PREFIX>-MP:<PREFIX>_<Component>[_LCtx][_Global][_Batch]-Units`,
 *   e.g. "APN2-MP:APN2_InputTokenCount_Global-Units"; its model is in `servicename`, not in the usage type.
 *
 * Only the per-token prices of text inference go into the table; everything else (provisioned throughput, reserved
 * tokens per minute, guardrails, long context above 200k tokens, image, video and audio tokens, 1-hour cache writes,
 * and any variant this grammar does not know) is out of scope, with the reason counted, never guessed into a price.
 */

export type TokenKind = keyof TokenPrices;

export type UsageTypeReading =
  | { kind: 'token-price'; tokenKind: TokenKind; routeKind: PriceRouteKind; tier: PriceTier; modelToken: string | null }
  | { kind: 'out-of-scope'; reason: string };

const outOfScope = (reason: string): UsageTypeReading => ({ kind: 'out-of-scope', reason });

/** Directions of the first-party grammar, longest first so "cache-read-input-token-count" is not read as "input…". */
const DIRECTIONS: [string, TokenKind | null][] = [
  ['cache-write-input-token-count', 'cacheWrite'],
  ['cache-read-input-token-count', 'cacheRead'],
  ['input-image-token-count', null],
  ['input-video-token-count', null],
  ['input-audio-token-count', null],
  ['output-image-token-count', null],
  ['text-input-tokens', 'input'],
  ['text-output-tokens', 'output'],
  ['input-tokens', 'input'],
  ['output-tokens', 'output'],
];

const TIER_VARIANTS: Record<string, PriceTier> = { batch: 'batch', flex: 'flex', priority: 'priority', 'latency-optimized': 'latency-optimized' };
const ROUTE_VARIANTS: Record<string, PriceRouteKind> = { 'cross-region-global': 'global', 'cross-region-geo': 'geo' };

function readFirstParty(usageType: string): UsageTypeReading {
  const withoutRegion = usageType.replace(/^[A-Z0-9]+-/, '');
  if (/-reserved-|tokens-per-minute/i.test(withoutRegion)) return outOfScope('reserved capacity');
  if (/provisioned/i.test(withoutRegion)) return outOfScope('provisioned throughput');
  let found: { at: number; direction: string; tokenKind: TokenKind | null } | null = null;
  for (const [direction, tokenKind] of DIRECTIONS) {
    const match = new RegExp(`-${direction}(?=-|$)`).exec(withoutRegion);
    if (match && (found === null || match.index < found.at)) found = { at: match.index, direction, tokenKind };
  }
  if (found === null) return outOfScope('not a token price');
  if (found.tokenKind === null) return outOfScope('image, video or audio tokens');
  let rest = withoutRegion.slice(found.at + found.direction.length + 1);
  let routeKind: PriceRouteKind = 'in-region';
  let tier: PriceTier = 'standard';
  while (rest.length > 0) {
    const variant = /^-(cross-region-global|cross-region-geo|latency-optimized|long-context|batch|flex|priority)(?=-|$)/.exec(rest);
    if (!variant) return outOfScope(`unknown usage-type variant "${rest.slice(1)}"`);
    const name = variant[1]!;
    if (name === 'long-context') return outOfScope('long context');
    if (ROUTE_VARIANTS[name]) routeKind = ROUTE_VARIANTS[name];
    else if (tier !== 'standard') return outOfScope(`two tiers in one usage type`);
    else tier = TIER_VARIANTS[name]!;
    rest = rest.slice(variant[0].length);
  }
  return { kind: 'token-price', tokenKind: found.tokenKind, routeKind, tier, modelToken: withoutRegion.slice(0, found.at) || null };
}

const MARKETPLACE_COMPONENTS: Record<string, { tokenKind: TokenKind; tier?: PriceTier }> = {
  InputTokenCount: { tokenKind: 'input' },
  OutputTokenCount: { tokenKind: 'output' },
  CacheReadInputTokenCount: { tokenKind: 'cacheRead' },
  CacheWriteInputTokenCount: { tokenKind: 'cacheWrite' },
  MillionBatchInputTokens: { tokenKind: 'input', tier: 'batch' },
};

function readMarketplace(usageType: string): UsageTypeReading {
  const body = usageType.replace(/^[A-Z0-9]+-MP:([A-Z0-9]+_)?/, '').replace(/-Units$/, '');
  if (/^Reserved/i.test(body)) return outOfScope('reserved capacity');
  if (/^ProvisionedThroughput/i.test(body)) return outOfScope('provisioned throughput');
  const [component = '', ...flags] = body.split('_');
  if (component === 'CacheWrite1hInputTokenCount') return outOfScope('1-hour cache write');
  const known = MARKETPLACE_COMPONENTS[component];
  if (!known) return outOfScope('not a token price');
  let routeKind: PriceRouteKind = 'in-region';
  let tier: PriceTier = known.tier ?? 'standard';
  for (const flag of flags) {
    if (flag === 'LCtx') return outOfScope('long context');
    if (flag === 'Global') routeKind = 'global';
    else if (flag === 'Batch') tier = 'batch';
    else return outOfScope(`unknown usage-type variant "${flag}"`);
  }
  return { kind: 'token-price', tokenKind: known.tokenKind, routeKind, tier, modelToken: null };
}

export function readUsageType(usageType: string): UsageTypeReading {
  return /^[A-Z0-9]+-MP:/.test(usageType) ? readMarketplace(usageType) : readFirstParty(usageType);
}
