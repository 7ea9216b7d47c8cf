import { useQuery } from '@tanstack/react-query';
import { memo, useMemo } from 'react';
import type { LatencyStats } from '../../src-shared/contract/latency';
import { useAtlas } from '../api/atlas-context';
import { AttributionSection } from '../attribution/AttributionSection';
import { ServerClientTimeSection } from '../attribution/ServerClientTime';
import { DistributionChart } from './charts/DistributionChart';
import { LatencyBars } from './charts/LatencyBars';
import { SpeedChart } from './charts/SpeedChart';
import type { ChartTheme } from './charts/chart-theme';
import { routeLabel } from './charts/route-label';
import { describeErrorCounts } from './error-counts';
import { boxRows, speedRows, whiskerRows, type RouteFigures, type RunFigures } from './figures';
import { formatCount, formatUsd } from '../capacity/format';
import type { LatencyRunCost } from '../../src-shared/contract/latency';

const ms = (stats: LatencyStats | null, pick: keyof LatencyStats = 'p50') => (stats ? `${Math.round(stats[pick])} ms` : '–');

/**
 * One run's figures: the charts, the table of every figure per route, and the routes that failed with their fix; then
 * where its requests really ran and how much of their time was Bedrock's.
 */
export const RunResults = memo(function RunResults({ run, target, theme }: { run: RunFigures; target: string; theme: ChartTheme }) {
  const { api } = useAtlas();
  const samples = useQuery({
    queryKey: ['latencySeries', 'run', run.id, target],
    queryFn: () => api.latencySeries({ target, since: run.startedAt, metric: 'ttftMs' }),
  });
  // This run's routes only, in the report's order like the other charts.
  const boxes = useMemo(() => {
    const order = run.routes.map((route) => route.key);
    return boxRows((samples.data?.points ?? []).filter((point) => order.includes(point.region))).sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  }, [samples.data, run]);
  const ttft = whiskerRows(run.routes, 'ttftMs');
  const e2e = whiskerRows(run.routes, 'e2eMs');
  const speed = speedRows(run.routes);

  return (
    <section className="lat-results" aria-labelledby="lat-results-title" data-testid="run-results">
      <h2 id="lat-results-title">
        Results {run.status === 'cancelled' ? <span className="lat-badge lat-badge-warn">cancelled: partial results</span> : null}
      </h2>
      {run.cost ? <RunCost cost={run.cost} /> : null}
      {run.failures.length > 0 ? <Failures failures={run.failures} /> : null}
      {ttft.length === 0 ? (
        <p className="lat-empty">No route produced a sample{run.status === 'cancelled' ? ' before the run was cancelled' : ''}. See the errors above, then run again.</p>
      ) : (
        <>
          <div className="lat-chart-grid">
            <LatencyBars title="Time to first token" metric="TTFT" rows={ttft} theme={theme} color={theme.series[0]} testId="chart-ttft" />
            <LatencyBars title="End to end" metric="E2E" rows={e2e} theme={theme} color={theme.series[1]} testId="chart-e2e" />
            <SpeedChart rows={speed} theme={theme} />
            {boxes.length > 0 ? <DistributionChart rows={boxes} theme={theme} /> : <p className="lat-empty">{samples.isPending ? 'Loading the raw samples…' : 'The raw samples are not stored (history is off), so no distribution.'}</p>}
          </div>
          <FiguresTable routes={run.routes} cost={run.cost} />
          <AttributionSection runId={run.id} theme={theme} />
          <ServerClientTimeSection runId={run.id} theme={theme} />
        </>
      )}
    </section>
  );
});

/** What the run cost: Bedrock's own token counts at the price table's list prices (its date said), or why it is unknown. */
export function RunCost({ cost }: { cost: LatencyRunCost }) {
  const { usage } = cost;
  const date = cost.priceTable.asOf ? `the list prices of ${cost.priceTable.asOf.slice(0, 10)}` : 'no price table';
  return (
    <p className="lat-run-cost" data-testid="run-cost">
      Cost of this run: <strong className={cost.usd === null ? 'lat-warn-text' : undefined}>{formatUsd(cost.usd)}</strong>
      {cost.usd === null && cost.unknown ? ` (${cost.unknown})` : ''} · {formatCount(usage.input)} input and {formatCount(usage.output)} output tokens
      {usage.cacheRead + usage.cacheWrite > 0 ? `, ${formatCount(usage.cacheRead)} cache read and ${formatCount(usage.cacheWrite)} cache write` : ''} over {formatCount(cost.requests)} requests (warm-ups
      included), at {date}
      {cost.requestsWithoutUsage > 0 ? `; ${formatCount(cost.requestsWithoutUsage)} requests ended without usage and are not counted` : ''}.
      {cost.priceTable.fallbackReason ? <span className="lat-warn-text"> ⚠ {cost.priceTable.fallbackReason}</span> : null}
    </p>
  );
}

function Failures({ failures }: { failures: RunFigures['failures'] }) {
  return (
    <ul className="lat-failures" aria-label="Routes that failed" data-testid="run-failures">
      {failures.map((failure) => (
        <li key={failure.key}>
          <strong>{routeLabel(failure.key)}</strong> <code>{failure.code}</code>: {failure.message}
        </li>
      ))}
    </ul>
  );
}

function FiguresTable({ routes, cost }: { routes: RouteFigures[]; cost: LatencyRunCost | null }) {
  const throttled = routes.some((route) => (route.errors?.throttled ?? 0) > 0);
  return (
    <>
      <div className="lat-table-scroll">
        <table className="lat-table lat-figures-table" data-testid="figures" aria-label="Figures per route">
          <thead>
            <tr>
              <th scope="col">Route</th>
              <th scope="col">Samples</th>
              <th scope="col">TTFT p50 / p90 / p99</th>
              <th scope="col">E2E p50</th>
              <th scope="col">ITL p50</th>
              <th scope="col">Output speed p50</th>
              <th scope="col">Server latency p50</th>
              <th scope="col">Client overhead p50</th>
              <th scope="col">Largest gap p50</th>
              <th scope="col">Errors</th>
              {cost ? <th scope="col">Cost</th> : null}
            </tr>
          </thead>
          <tbody>
            {routes.map((route) => (
              <tr key={route.key}>
                <th scope="row" title={route.route?.invokeId}>
                  {routeLabel(route.key)}
                  {route.route?.autoRoutedFrom ? <span className="lat-note"> via {route.route.invokeId} (auto-profile)</span> : null}
                  {route.servedLatency ? <span className="lat-note lat-warn-text"> optimized fell back: {Object.entries(route.servedLatency).map(([tier, count]) => `${count} ${tier}`).join(', ')}</span> : null}
                </th>
                <td>{route.samples}</td>
                <td>
                  {ms(route.ttftMs)} / {ms(route.ttftMs, 'p90')} / {ms(route.ttftMs, 'p99')}
                </td>
                <td>{ms(route.e2eMs)}</td>
                <td>{route.interTokenMs ? `${route.interTokenMs.p50.toFixed(1)} ms` : '–'}</td>
                <td>{route.outputTokensPerSecond ? `${route.outputTokensPerSecond.p50.toFixed(1)} tok/s` : '–'}</td>
                <td>{ms(route.serverLatencyMs)}</td>
                <td>{ms(route.clientOverheadMs)}</td>
                <td>{ms(route.largestGapMs)}</td>
                <td className={`lat-errors${route.errors && Object.values(route.errors).some(Boolean) ? ' lat-bad' : ''}`}>{describeErrorCounts(route.errors)}</td>
                {cost ? (
                  <td title={cost.routes[route.key]?.unknown} data-testid="route-cost">
                    {cost.routes[route.key] ? formatUsd(cost.routes[route.key]!.usd) : '–'}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {throttled ? <p className="lat-warn-text">Some requests were throttled: they are counted, never retried or averaged in. Lower the concurrency, or ask AWS for a higher quota.</p> : null}
    </>
  );
}
