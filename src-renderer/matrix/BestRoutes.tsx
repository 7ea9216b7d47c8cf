import { useQuery } from '@tanstack/react-query';
import { LOCAL_VANTAGE } from '../../src-shared/contract/vantage';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { vantageLabel } from '../fleet/use-fleet';
import { bestRegionsQuery, LOCAL_READ, type VantageRead } from '../fleet/vantage-read';
import { CopyableId, RegionText } from './panel-parts';
import { cellFigure, describeCallRegion, describeMeasurement } from './route-text';

/** The routes from a region, best first, each with what the latency lab measured from the chosen vantage (this machine by default). */
export function BestRoutes({ modelId, region, from = LOCAL_READ }: { modelId: string; region: string; from?: VantageRead }) {
  const { api } = useAtlas();
  const routes = useQuery(bestRegionsQuery(api, modelId, region, from));
  const measuredFrom = from.vantage === LOCAL_VANTAGE ? '' : ` · measured from ${vantageLabel(from.vantage)}`;
  if (routes.isError) return <ErrorNotice error={routes.error} />;
  if (!routes.data) return <span className="muted">Ranking…</span>;
  if (routes.data.length === 0) return <span className="muted">No region serves this model on demand or through a profile.</span>;
  // Ages are told relative to when the ranking was fetched, which keeps rendering pure.
  const now = routes.dataUpdatedAt;
  const figure = cellFigure(routes.data, region);
  const shownOnMatrix = figure ? routes.data.find((route) => route.callRegion === region && route.invokeId === figure.invokeId) : undefined;
  return (
    <ol className="best-routes" data-testid="best-routes">
      {routes.data.slice(0, 6).map((route) => (
        <li key={`${route.callRegion}:${route.invokeId}`}>
          <CopyableId id={route.invokeId} note={<RegionText text={describeCallRegion(route, region)} />} />
          <div className="muted">
            <RegionText text={route.reason} />
          </div>
          <div className={`measured${route.measured ? '' : ' not-measured'}`} data-testid="route-measurement">
            {route.measured ? (
              <>
                {describeMeasurement(route.measured, now)}
                {measuredFrom}
                {route === shownOnMatrix ? <span className="muted"> · the figure in this cell on the matrix’s TTFT overlay</span> : null}
              </>
            ) : from.vantage === LOCAL_VANTAGE ? (
              <>
                not measured yet — <a href="#/latency">run the latency lab</a>
              </>
            ) : (
              `not measured from ${vantageLabel(from.vantage)} in the last 30 days`
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
