import { memo, useState } from 'react';
import type { RegionFailure } from '../../src-shared/contract/latency';
import type { LoadRouteReport, LoadRunView } from '../../src-shared/contract/load';
import { AttributionSection } from '../attribution/AttributionSection';
import { ServerClientTimeSection } from '../attribution/ServerClientTime';
import type { ChartTheme } from '../latency/charts/chart-theme';
import { routeLabel } from '../latency/charts/route-label';
import { RunCost } from '../latency/RunResults';
import { LevelTable } from './LevelTable';
import { LoadLatencyChart, LoadThroughputChart, LoadThrottleChart } from './LoadCharts';
import { kneeSentence, quotaSentence, SLO_NAMES, sloBounds, type LatencyMetric } from './load-figures';
import type { ShownLoadRun } from './load-work';
import './load.css';

const isRoute = (entry: LoadRouteReport | RegionFailure): entry is LoadRouteReport => 'levels' in entry;

const trim = (value: number) => String(Number(value.toPrecision(4)));

/** How the run loaded the route, in one line: the loop, its levels, how long each lasted, the SLO, the prompts, the budget. */
function RunSummary({ view }: { view: LoadRunView }) {
  const { load, step, slo, budget } = view;
  const levels = load.levels.map(trim).join(', ');
  const loop =
    load.mode === 'concurrency'
      ? `closed loop: ${levels} requests in flight`
      : `open loop: ${levels} requests per second, ${load.arrivals === 'poisson' ? 'Poisson' : 'evenly spaced'} arrivals`;
  const each = 'requests' in step ? `${step.requests} requests a level` : `${trim(step.durationMs / 1000)} s a level`;
  const budgets = [budget.maxRequests !== null ? `${budget.maxRequests} requests` : null, budget.maxCostUsd !== null ? `$${budget.maxCostUsd}` : null].filter((part) => part !== null);
  return (
    <dl className="load-summary" data-testid="load-summary">
      <div>
        <dt>Load</dt>
        <dd>
          {loop}, {each}
        </dd>
      </div>
      <div>
        <dt>SLO</dt>
        <dd title={slo?.source}>{slo ? `${SLO_NAMES[slo.name]}: ${sloBounds(slo)}` : 'none (no goodput)'}</dd>
      </div>
      <div>
        <dt>Prompts</dt>
        <dd data-testid="unique-prompts" className={view.uniquePrompts ? undefined : 'lat-warn-text'}>
          {view.uniquePrompts ? 'unique: a nonce before every prompt, so the prompt cache never answered one faster' : 'repeated: the prompt cache may have answered some faster'}
        </dd>
      </div>
      <div>
        <dt>Budget</dt>
        <dd>{budgets.length > 0 ? budgets.join(', ') : 'none'}</dd>
      </div>
    </dl>
  );
}

function StatusBadge({ view }: { view: LoadRunView }) {
  if (view.status === 'cancelled') return <span className="lat-badge lat-badge-warn">cancelled: finished levels kept</span>;
  if (view.stopped) return <span className="lat-badge lat-badge-warn">stopped by the budget</span>;
  if (view.status === 'failed') return <span className="lat-badge lat-badge-error">failed: no route answered</span>;
  if (view.status === 'partial') return <span className="lat-badge lat-badge-warn">partial</span>;
  return null;
}

/** A load run's results: how it ran, the knee of each route, then one route's curves and levels, and where it really ran. */
export const LoadResults = memo(function LoadResults({ shown, theme }: { shown: ShownLoadRun; theme: ChartTheme }) {
  const { view, cost } = shown;
  const entries = Object.entries(view.regions);
  const routes = entries.flatMap(([key, entry]) => (isRoute(entry) ? [{ key, report: entry }] : []));
  const failures = entries.flatMap(([key, entry]) => (isRoute(entry) ? [] : [{ key, ...entry.error }]));
  const [picked, setPicked] = useState<string | null>(null);
  const [metric, setMetric] = useState<LatencyMetric>('ttftMs');
  const selected = routes.find((route) => route.key === picked) ?? routes[0];
  const started = new Date(view.startedAt).toLocaleString();

  return (
    <section className="lat-results load-results" aria-labelledby="load-results-title" data-testid="load-results" data-run={view.id}>
      <h2 id="load-results-title">
        Load results <span className="muted load-run-when">{view.target ?? 'unknown target'} · {started}</span> <StatusBadge view={view} />
      </h2>
      <RunSummary view={view} />
      {view.stopped ? <p className="lat-warn-text" data-testid="load-stopped">⚠ {view.stopped.message}</p> : null}
      {cost ? <RunCost cost={cost} /> : null}
      {failures.length > 0 ? (
        <ul className="lat-failures" aria-label="Routes that failed">
          {failures.map((failure) => (
            <li key={failure.key}>
              <strong>{routeLabel(failure.key)}</strong> <code>{failure.code}</code>: {failure.message}
            </li>
          ))}
        </ul>
      ) : null}
      {routes.length === 0 ? (
        <p className="lat-empty">No route was measured{view.status === 'cancelled' ? ' before the run was cancelled' : ''}.</p>
      ) : (
        <>
          <ul className="load-knees" aria-label="Knee per route">
            {routes.map(({ key, report }) => (
              <li key={key} data-testid="knee" data-route={key} className={report.knee ? 'load-knee-found' : undefined}>
                <strong>{routeLabel(key)}</strong> {kneeSentence(report.knee, report.levels)}
              </li>
            ))}
          </ul>
          {routes.length > 1 ? (
            <div className="lat-window load-route-picker" role="radiogroup" aria-label="Route shown">
              {routes.map(({ key, report }) => (
                <button key={key} type="button" role="radio" aria-checked={selected?.key === key} className={selected?.key === key ? 'active' : undefined} onClick={() => setPicked(key)} title={report.route.invokeId}>
                  {routeLabel(key)}
                </button>
              ))}
            </div>
          ) : null}
          {selected ? <RouteCurves routeKey={selected.key} report={selected.report} view={view} metric={metric} onMetric={setMetric} theme={theme} /> : null}
        </>
      )}
      <AttributionSection runId={view.id} theme={theme} />
      <ServerClientTimeSection runId={view.id} theme={theme} />
    </section>
  );
});

function RouteCurves({ routeKey, report, view, metric, onMetric, theme }: { routeKey: string; report: LoadRouteReport; view: LoadRunView; metric: LatencyMetric; onMetric(metric: LatencyMetric): void; theme: ChartTheme }) {
  const chart = { levels: report.levels, mode: view.load.mode, knee: report.knee, quota: report.quota, theme, routeKey };
  if (report.levels.length === 0) return <p className="lat-empty">{routeLabel(routeKey)} finished no level.</p>;
  return (
    <div className="load-route" data-testid="load-route" data-route={routeKey}>
      <p className="load-route-title">
        <strong>{routeLabel(routeKey)}</strong> <code>{report.route.invokeId}</code> <span className="muted">({report.route.kind})</span>
        <span className={`load-quota${report.quota.status === 'unreadable' ? ' lat-warn-text' : ''}`} data-testid="load-quota">
          {quotaSentence(report.quota)}
        </span>
      </p>
      <div className="lat-chart-grid load-chart-grid">
        <LoadLatencyChart {...chart} metric={metric} onMetric={onMetric} slo={view.slo} />
        <LoadThroughputChart {...chart} />
        <LoadThrottleChart {...chart} />
      </div>
      <LevelTable levels={report.levels} knee={report.knee} slo={view.slo} routeLabel={routeLabel(routeKey)} />
    </div>
  );
}
