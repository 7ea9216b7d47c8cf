import type { CatalogDocument } from '../../../src-shared/catalog/document';
import type { AttributionCounts, ObservedRouting, Percentiles, RouteAttribution, ServedRegionFigures } from '../../../src-shared/contract/attribution';
import type { LatencyRoute } from '../../../src-shared/contract/latency';
import { percentile, round } from '../latency/stats';
import type { HistoryDatabase } from '../storage/history-database';

/**
 * What attribution says of a run, per route, and of a profile over time. A run's successful samples are read with
 * their request's row (joined on Bedrock's request id), so a sample whose request was never looked up still counts,
 * as pending; an on-demand route's requests were served where they were called, which needs no CloudTrail.
 */

type RouteKind = LatencyRoute['kind'];

interface SampleRow {
  route_key: string;
  region: string;
  invoke_id: string;
  kind: RouteKind;
  ttft_ms: number | null;
  e2e_ms: number | null;
  server_ms: number | null;
  request_id: string | null;
  status: 'pending' | 'attributed' | 'unattributed' | 'unreadable' | null;
  served_region: string | null;
  copies: number | null;
}

const emptyCounts = (): AttributionCounts => ({ requests: 0, attributed: 0, pending: 0, unattributed: 0, unreadable: 0, duplicatesResolved: 0 });

function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)) };
}

/** The catalog's destinations of a profile for a source region (a global profile's too, as far as the API listed them). */
export function declaredDestinations(document: CatalogDocument | null, profileId: string, sourceRegion: string): string[] {
  const profile = document?.profiles[profileId];
  return [...(profile?.routes[sourceRegion] ?? [])].sort();
}

/** Per route of a run, in the order the report keys them: counts, and every served region with its share and figures. */
export async function routeAttributions(db: HistoryDatabase, runId: string, catalog: CatalogDocument | null): Promise<RouteAttribution[]> {
  const rows = await db.all<SampleRow>(
    `select s.route_key, s.region, s.invoke_id, s.kind, s.ttft_ms, s.e2e_ms, s.server_ms, s.request_id, a.status, a.served_region, a.copies
     from latency_samples s join latency_runs r on r.id = s.run_id
     left join attribution_requests a on a.request_id = s.request_id
     where s.run_id = $1 and s.error_class is null order by s.seq`,
    [runId],
  );
  const routes = new Map<string, { route: LatencyRoute; counts: AttributionCounts; served: Map<string, { requests: number; ttft: number[]; e2e: number[]; server: number[] }> }>();
  for (const row of rows) {
    const entry = routes.get(row.route_key) ?? { route: { invokeId: row.invoke_id, callRegion: row.region, kind: row.kind }, counts: emptyCounts(), served: new Map() };
    routes.set(row.route_key, entry);
    entry.counts.requests++;
    const onDemand = row.kind === 'on-demand';
    // A profile request without a row was not looked up yet (attribution not started): pending; one without a
    // request id (stored before they were kept) can never be matched: unattributed.
    const status = onDemand ? 'attributed' : (row.status ?? (row.request_id === null ? 'unattributed' : 'pending'));
    entry.counts[status]++;
    if (status === 'attributed' && (row.copies ?? 0) > 1) entry.counts.duplicatesResolved++;
    const servedRegion = onDemand ? row.region : row.served_region;
    if (status !== 'attributed' || servedRegion === null) continue;
    const figures = entry.served.get(servedRegion) ?? { requests: 0, ttft: [], e2e: [], server: [] };
    entry.served.set(servedRegion, figures);
    figures.requests++;
    if (row.ttft_ms !== null) figures.ttft.push(row.ttft_ms);
    if (row.e2e_ms !== null) figures.e2e.push(row.e2e_ms);
    if (row.server_ms !== null) figures.server.push(row.server_ms);
  }
  return [...routes].map(([key, { route, counts, served }]) => {
    const attributed = [...served.values()].reduce((sum, figures) => sum + figures.requests, 0);
    const servedRegions: ServedRegionFigures[] = [...served]
      .map(([region, figures]) => {
        const { requests } = figures;
        return { region, requests, sharePercent: attributed > 0 ? round1((100 * requests) / attributed) : 0, ttftMs: percentiles(figures.ttft), e2eMs: percentiles(figures.e2e), serverLatencyMs: percentiles(figures.server) };
      })
      .sort((a, b) => b.requests - a.requests || a.region.localeCompare(b.region));
    return {
      key,
      route,
      counts,
      via: route.kind === 'on-demand' ? ('route' as const) : ('cloudtrail' as const),
      servedRegions,
      declaredDestinations: route.kind === 'on-demand' ? [] : declaredDestinations(catalog, route.invokeId, route.callRegion),
    };
  });
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Per profile and source region: attributed requests by served region (runs and playground answers alike). */
export async function observedRouting(
  db: HistoryDatabase,
  query: { profileId?: string; sourceRegion?: string; sinceMs: number },
  catalog: CatalogDocument | null,
): Promise<ObservedRouting[]> {
  const conditions = ["status = 'attributed'", 'served_region is not null', "route_kind <> 'on-demand'", 'coalesce(event_time, sent_at) >= $1::timestamp'];
  const params: string[] = [new Date(query.sinceMs).toISOString()];
  if (query.profileId) conditions.push(`invoke_id = $${params.push(query.profileId)}`);
  if (query.sourceRegion) conditions.push(`source_region = $${params.push(query.sourceRegion)}`);
  const rows = await db.all<{ invoke_id: string; source_region: string; served_region: string; n: bigint; last: string }>(
    `select invoke_id, source_region, served_region, count(*) as n, strftime(max(coalesce(event_time, sent_at)), '%Y-%m-%dT%H:%M:%S.%gZ') as last
     from attribution_requests where ${conditions.join(' and ')} group by invoke_id, source_region, served_region`,
    params,
  );
  const groups = new Map<string, ObservedRouting>();
  for (const row of rows) {
    const key = `${row.invoke_id}\n${row.source_region}`;
    const group = groups.get(key) ?? { profileId: row.invoke_id, sourceRegion: row.source_region, requests: 0, destinations: [], lastObservedAt: row.last };
    groups.set(key, group);
    group.requests += Number(row.n);
    if (row.last > group.lastObservedAt) group.lastObservedAt = row.last;
    group.destinations.push({ region: row.served_region, declared: false, requests: Number(row.n), sharePercent: 0 });
  }
  return [...groups.values()]
    .map((group) => {
      const declared = declaredDestinations(catalog, group.profileId, group.sourceRegion);
      const observed = new Map(group.destinations.map((destination) => [destination.region, destination.requests]));
      const destinations = [...new Set([...declared, ...observed.keys()])].map((region) => {
        const requests = observed.get(region) ?? 0;
        return { region, declared: declared.includes(region), requests, sharePercent: round1((100 * requests) / group.requests) };
      });
      destinations.sort((a, b) => Number(b.declared) - Number(a.declared) || b.requests - a.requests || a.region.localeCompare(b.region));
      return { ...group, destinations };
    })
    .sort((a, b) => a.profileId.localeCompare(b.profileId) || a.sourceRegion.localeCompare(b.sourceRegion));
}
