import { useQuery } from '@tanstack/react-query';
import type { RankedRoute } from '../../src-shared/contract';
import { describeAge } from '../../src-shared/describe-age';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { CopyableId } from './panel-parts';

/** What the latency lab measured for one route; the contract's RankedRoute carries it once the lab has run. */
export interface MeasuredFigures {
  ttftP50Ms: number;
  samples: number;
  measuredAt: string;
}

type RouteWithMeasurement = RankedRoute & { measured?: MeasuredFigures };

export function describeMeasurement(measured: MeasuredFigures | undefined, now: number): string {
  if (!measured) return 'not measured yet — run the latency lab';
  const age = describeAge(Math.max(0, now - Date.parse(measured.measuredAt)));
  return `time to first token p50 ${Math.round(measured.ttftP50Ms)} ms · ${measured.samples} sample${measured.samples === 1 ? '' : 's'} · ${age}`;
}

/** "call us-east-1's endpoint", and why: the region you are in, or a hop to another one. */
export function describeCallRegion(route: RankedRoute, fromRegion: string): string {
  if (route.callRegion === fromRegion) return `call ${route.callRegion}'s endpoint — the region you are in, so no extra network hop`;
  return `call ${route.callRegion}'s endpoint — a cross-region call from ${fromRegion}`;
}

export function BestRoutes({ modelId, region }: { modelId: string; region: string }) {
  const { api } = useAtlas();
  const routes = useQuery({ queryKey: ['bestRegions', modelId, region], queryFn: () => api.bestRegions({ modelId, fromRegion: region }) });
  if (routes.isError) return <ErrorNotice error={routes.error} />;
  if (!routes.data) return <span className="muted">Ranking…</span>;
  if (routes.data.length === 0) return <span className="muted">No region serves this model on demand or through a profile.</span>;
  // Ages are told relative to when the ranking was fetched, which keeps rendering pure.
  const now = routes.dataUpdatedAt;
  return (
    <ol className="best-routes" data-testid="best-routes">
      {(routes.data as RouteWithMeasurement[]).slice(0, 6).map((route) => (
        <li key={`${route.callRegion}:${route.invokeId}`}>
          <CopyableId id={route.invokeId} note={describeCallRegion(route, region)} />
          <div className="muted">{route.reason}</div>
          <div className={`measured${route.measured ? '' : ' not-measured'}`} data-testid="route-measurement">
            {route.measured ? (
              describeMeasurement(route.measured, now)
            ) : (
              <>
                not measured yet — <a href="#/latency">run the latency lab</a>
              </>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
