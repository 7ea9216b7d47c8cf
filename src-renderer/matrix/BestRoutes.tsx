import { useQuery } from '@tanstack/react-query';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { CopyableId, RegionText } from './panel-parts';
import { cellFigure, describeCallRegion, describeMeasurement } from './route-text';

export function BestRoutes({ modelId, region }: { modelId: string; region: string }) {
  const { api } = useAtlas();
  const routes = useQuery({ queryKey: ['bestRegions', modelId, region], queryFn: () => api.bestRegions({ modelId, fromRegion: region }) });
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
                {route === shownOnMatrix ? <span className="muted"> · the figure in this cell on the matrix’s TTFT overlay</span> : null}
              </>
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
