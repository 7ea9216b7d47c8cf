import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { USAGE_WINDOWS, type PerMinute, type RouteUsage, type UsageWindow } from '../../src-shared/contract/usage';
import { visibleText } from '../../src-shared/text/visible-text';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { useChartTheme } from '../latency/charts/chart-theme';
import { RegionText } from '../matrix/panel-parts';
import { formatCount, formatPercent } from './format';
import { KIND_LABEL } from './QuotasSection';
import { Choice } from './Choice';
import { UsageChart } from './UsageChart';
import { USAGE_SCALES, type UsageScale } from './usage-series';

const WINDOW_LABEL: Record<UsageWindow, string> = { '24h': 'last 24 hours, per minute', '14d': 'last 14 days, per hour' };

/** Section b: each route's CloudWatch usage from the source region against its quota, with throttles, peak, p99 and headroom. */
export function UsageSection({ target, from }: { target: string; from: string }) {
  const { api } = useAtlas();
  const theme = useChartTheme();
  const [usageWindow, setUsageWindow] = useState<UsageWindow>('24h');
  const [scale, setScale] = useState<UsageScale>('quota');
  const usage = useQuery({
    queryKey: ['usage', target, from, usageWindow],
    queryFn: () => api.getUsage({ target, since: usageWindow, regions: [from] }),
    staleTime: 60_000,
  });
  const routes = usage.data?.routes.filter((route) => route.region === from) ?? [];
  return (
    <section className="cap-section" aria-labelledby="cap-usage-title" data-testid="cap-usage">
      <header className="cap-section-header">
        <h2 id="cap-usage-title">Usage from {from}</h2>
        <span className="muted">CloudWatch AWS/Bedrock, {WINDOW_LABEL[usageWindow]}</span>
        <Choice<UsageWindow> label="Usage window" options={USAGE_WINDOWS} value={usageWindow} onChange={setUsageWindow} />
        <Choice<UsageScale> label="Tokens scale" options={USAGE_SCALES} value={scale} onChange={setScale} names={{ quota: 'scale to quota', usage: 'scale to use' }} />
      </header>
      {usage.isError ? <ErrorNotice error={usage.error} /> : null}
      {usage.isPending ? <p className="muted">Reading CloudWatch…</p> : null}
      {usage.data && routes.length === 0 ? <p className="muted">No route of this model is callable from {from}: there is no usage to read.</p> : null}
      <div className="cap-usage-grid">
        {routes.map((route) => (
          <RouteUsageView key={route.invokeId} route={route} from={usage.data!.from} to={usage.data!.to} scale={scale} theme={theme} />
        ))}
      </div>
    </section>
  );
}

function RouteUsageView({ route, from, to, scale, theme }: { route: RouteUsage; from: string; to: string; scale: UsageScale; theme: ReturnType<typeof useChartTheme> }) {
  return (
    <div className={`cap-usage-route cap-usage-${route.status}`} data-testid="usage-route" data-status={route.status}>
      <h3>
        <code>{visibleText(route.invokeId)}</code> <span className="muted">{KIND_LABEL[route.routeKind]}</span>
      </h3>
      {route.status === 'ok' ? (
        <>
          <UsageFigures route={route} />
          <UsageChart route={route} from={from} to={to} scale={scale} theme={theme} />
        </>
      ) : route.status === 'no-invocations' ? (
        <p className="cap-no-invocations" data-testid="no-invocations">
          No invocations in the window: CloudWatch answered, with no datapoint for this id. Headroom is the whole quota.
        </p>
      ) : (
        <p className="cap-unreadable" role="note" data-testid="usage-unreadable">
          ⚠ Could not read
          {route.status === 'denied' ? (
            <>
              : the caller lacks <code>cloudwatch:GetMetricData</code> in <span className="region-name">{route.region}</span>.
            </>
          ) : (
            '.'
          )}
          {route.error ? (
            <span className="muted">
              {' '}
              <code>{visibleText(route.error.code)}</code> — <RegionText text={route.error.message} />
            </span>
          ) : null}
        </p>
      )}
    </div>
  );
}

function PerMinuteRow({ label, route, pick }: { label: string; route: RouteUsage; pick: keyof PerMinute }) {
  const value = (figure: PerMinute) => (figure[pick] === null ? '–' : formatCount(figure[pick]!));
  const headroom = route.headroomPercent[pick];
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{value(route.peak)}</td>
      <td className="num">{value(route.p99)}</td>
      <td className="num">{value(route.median)}</td>
      <td className="num">{route.quota[pick] === null ? <span className="quota-none">no quota found</span> : formatCount(route.quota[pick]!)}</td>
      <td className={`num${headroom !== null && headroom < 20 ? ' cap-tight' : ''}`}>{formatPercent(headroom)}</td>
    </tr>
  );
}

/** Peak, p99 and the typical minute against the quota, as headroom; throttles and invocations over the window. */
function UsageFigures({ route }: { route: RouteUsage }) {
  return (
    <>
      <table className="dense cap-usage-figures" data-testid="usage-figures" aria-label={`Usage of ${route.invokeId} per minute`}>
        <thead>
          <tr>
            <th scope="col">{route.perHour ? 'Per minute (hourly averages)' : 'Per minute'}</th>
            <th scope="col">Peak</th>
            <th scope="col">p99</th>
            <th scope="col">Median</th>
            <th scope="col">Quota</th>
            <th scope="col">Headroom</th>
          </tr>
        </thead>
        <tbody>
          <PerMinuteRow label="Quota tokens" route={route} pick="tokensPerMinute" />
          <PerMinuteRow label="Requests" route={route} pick="requestsPerMinute" />
        </tbody>
      </table>
      <p className="cap-usage-totals muted">
        {formatCount(route.invocations)} invocations · <span className={route.throttles > 0 ? 'cap-tight' : undefined}>{formatCount(route.throttles)} throttled</span>
        {route.quotaTokens !== null ? ` · ${formatCount(route.quotaTokens)} quota tokens in the window` : ''}
      </p>
    </>
  );
}
