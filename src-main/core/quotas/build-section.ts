import type { QuotaSection, RegionQuotas, UnmatchedQuota } from '../../../src-shared/catalog/quotas';
import type { RegionQuotaFetch } from './fetch-quotas';
import type { QuotaMatcher } from './tie-quotas';

/**
 * Folds a refresh's per-region answers into the quotas section. A region that answered is tied to the catalog
 * anew; one that failed says why and keeps what an earlier refresh knew of it, marked with when that was fetched
 * (`lastKnownAt`); a region not asked this time stays as it was.
 */

interface RegionPart {
  region: RegionQuotas;
  unmatched: UnmatchedQuota[];
}

function regionPart(fetch: RegionQuotaFetch, matcher: QuotaMatcher, at: string, before: RegionPart | null): RegionPart {
  if (fetch.ok) {
    const tied = matcher.tie(fetch.region, fetch.readings);
    return { region: { status: 'ok', fetchedAt: at, routes: tied.routes }, unmatched: tied.unmatched };
  }
  const lastKnownAt = before?.region.status === 'ok' ? before.region.fetchedAt : before?.region.lastKnownAt;
  if (!before || lastKnownAt === undefined) return { region: { status: 'error', error: fetch.error, fetchedAt: at, routes: [] }, unmatched: [] };
  return { region: { status: 'error', error: fetch.error, fetchedAt: at, lastKnownAt, routes: before.region.routes }, unmatched: before.unmatched };
}

function partsOf(section: QuotaSection | null): Map<string, RegionPart> {
  const parts = new Map<string, RegionPart>();
  for (const [region, entry] of Object.entries(section?.regions ?? {})) parts.set(region, { region: entry, unmatched: [] });
  for (const entry of section?.unmatched ?? []) parts.get(entry.region)?.unmatched.push(entry);
  return parts;
}

function sectionOf(parts: Map<string, RegionPart>, fetchedAt: string): QuotaSection {
  return {
    fetchedAt,
    regions: Object.fromEntries([...parts].map(([region, part]) => [region, part.region])),
    unmatched: [...parts.values()].flatMap((part) => part.unmatched),
  };
}

export function buildQuotaSection(fetches: readonly RegionQuotaFetch[], options: { matcher: QuotaMatcher; previous: QuotaSection | null; at: Date }): QuotaSection {
  const at = options.at.toISOString();
  const parts = partsOf(options.previous);
  for (const fetch of fetches) parts.set(fetch.region, regionPart(fetch, options.matcher, at, parts.get(fetch.region) ?? null));
  return sectionOf(parts, at);
}

/** A straggler's late answer, merged into the section as it is now; the section keeps its own fetch time. */
export function mergeLateRegion(section: QuotaSection, fetch: RegionQuotaFetch, options: { matcher: QuotaMatcher; at: Date }): QuotaSection {
  const parts = partsOf(section);
  // The straggler was recorded as failed when the refresh answered without it, keeping what was known before.
  parts.set(fetch.region, regionPart(fetch, options.matcher, options.at.toISOString(), parts.get(fetch.region) ?? null));
  return sectionOf(parts, section.fetchedAt);
}
