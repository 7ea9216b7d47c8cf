import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RouteServerClientTime, ServerSideFigures } from '../../src-shared/contract/attribution';
import { useAtlas } from '../api/atlas-context';
import { ChartFrame } from '../latency/charts/ChartFrame';
import type { ChartTheme } from '../latency/charts/chart-theme';
import { barChartHeight, niceTicks } from '../latency/charts/route-label';
import './attribution.css';

/**
 * Server time against client time per route (issue 18 §3): CloudWatch's TimeToFirstToken and InvocationLatency beside
 * the client's own TTFT and E2E, the difference being the network and the client. A route without CloudWatch figures
 * says so in its own words, never as a zero. CloudWatch publishes minutes after a run: asked again each minute while
 * a route is recent and has none.
 */

const RECENT_MS = 10 * 60_000;
const ms = (value: number | null) => (value === null ? '–' : `${Math.round(value)} ms`);

const STATUS_WORDS: Record<Exclude<ServerSideFigures['status'], 'ok'>, string> = {
  'no-data': 'no CloudWatch data',
  denied: 'CloudWatch not readable',
  error: 'CloudWatch did not answer',
};

/** The reason without the words the status label already says. */
const reasonOf = (server: ServerSideFigures) => (server.message ?? '').replace(/^No CloudWatch (data|figures)(:\s*)?/, '').trim();

const routeName = (route: RouteServerClientTime) => `${route.route.callRegion} · ${route.route.kind === 'on-demand' ? 'on demand' : route.route.invokeId.split('.')[0] + ' profile'}`;

export function ServerClientTimeSection({ runId, theme }: { runId: string; theme: ChartTheme }) {
  const { api } = useAtlas();
  const answer = useQuery({
    queryKey: ['serverClientTime', runId],
    queryFn: () => api.serverClientTime({ runId }),
    staleTime: 60_000,
    refetchInterval: (query) => (query.state.data?.routes.some((route) => route.server.status === 'no-data' && Date.now() - Date.parse(route.server.to) < RECENT_MS) ? 60_000 : false),
  });
  const routes = answer.data?.routes ?? [];
  return (
    <section className="attr-section" aria-labelledby={`sct-title-${runId}`} data-testid="server-client-time">
      <h3 id={`sct-title-${runId}`}>
        Bedrock’s time and the path’s{' '}
        <button type="button" className="lat-png" onClick={() => void answer.refetch()} disabled={answer.isFetching}>
          {answer.isFetching ? 'Asking CloudWatch…' : 'Ask CloudWatch again'}
        </button>
      </h3>
      {answer.error ? (
        <p className="lat-error" role="alert">
          {(answer.error as Error).message}
        </p>
      ) : !answer.data ? (
        <p className="muted">Asking CloudWatch for the run’s minutes…</p>
      ) : routes.length === 0 ? (
        <p className="lat-empty">No request of this run answered, so there is nothing to compare.</p>
      ) : (
        <>
          <OverheadChart routes={routes} theme={theme} />
          <ServerClientTable routes={routes} />
          {/* A route without CloudWatch figures says why in the table; its summary would say it twice. */}
          <ul className="sct-summaries" data-testid="sct-summaries">
            {routes
              .filter((route) => route.server.status === 'ok')
              .map((route) => (
                <li key={route.key}>
                  <strong>{routeName(route)}:</strong> {route.summary}
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}

function OverheadChart({ routes, theme }: { routes: RouteServerClientTime[]; theme: ChartTheme }) {
  const rows = routes.flatMap((route) => {
    const name = routeName(route);
    const parts = [
      { metric: 'TTFT', server: route.server.ttftMeanMs, client: route.client.ttftMeanMs },
      { metric: 'E2E', server: route.server.invocationLatencyMeanMs, client: route.client.e2eMeanMs },
    ];
    return parts.flatMap(({ metric, server, client }) => (server === null || client === null ? [] : [{ label: `${name} ${metric}`, server, path: client - server, client }]));
  });
  // CloudWatch's mean above the client's is other calls in its minutes, not a negative path: the table says so, the bars leave it out.
  const above = rows.filter((row) => row.path < 0).length;
  const shown = rows.filter((row) => row.path >= 0);
  if (shown.length === 0) return null;
  const ticks = niceTicks(Math.max(...shown.map((row) => row.client)));
  const [serverColor, pathColor] = [theme.series[0], theme.series[1]];
  return (
    <ChartFrame
      title="Where the time goes"
      description={`Mean time per route: Bedrock’s own (CloudWatch’s TimeToFirstToken and InvocationLatency) and what the network and the client add to reach what the client measured. The whole bar is the client’s mean.${above > 0 ? ` ${above} figure${above === 1 ? '' : 's'} where CloudWatch’s mean is above the client’s (other calls in its minutes) left out: see the table.` : ''}`}
      legend={[
        { label: 'Bedrock (CloudWatch)', color: serverColor },
        { label: 'network + client', color: pathColor },
      ]}
      theme={theme}
      fileName="server-client-time"
      testId="chart-server-client"
    >
      <ResponsiveContainer width="100%" height={barChartHeight(shown.length)}>
        <BarChart data={shown} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }} title="Server time and client time" desc="Bedrock’s mean time and the network and client overhead per route">
          <CartesianGrid horizontal={false} stroke={theme.grid} />
          <XAxis type="number" unit=" ms" domain={[0, ticks.at(-1) ?? 1]} ticks={ticks} tick={{ fill: theme.muted, fontSize: 11 }} stroke={theme.grid} />
          <YAxis type="category" dataKey="label" width={230} tick={{ fill: theme.text, fontSize: 11 }} stroke={theme.grid} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fill: theme.grid, opacity: 0.4 }}
            contentStyle={{ background: theme.background, borderColor: theme.grid, color: theme.text }}
            formatter={(value, name) => [`${Math.round(Number(value))} ms`, name]}
          />
          <Bar dataKey="server" name="Bedrock" stackId="time" fill={serverColor} isAnimationActive={false} barSize={14} />
          <Bar dataKey="path" name="network + client" stackId="time" fill={pathColor} isAnimationActive={false} barSize={14} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

function ServerClientTable({ routes }: { routes: RouteServerClientTime[] }) {
  return (
    <div className="lat-table-scroll">
      <table className="lat-table sct-table" data-testid="server-client-table" aria-label="Server time and client time per route">
        <thead>
          <tr>
            <th scope="col">Route</th>
            <th scope="col">Requests</th>
            <th scope="col">Client TTFT mean</th>
            <th scope="col">Client E2E mean</th>
            <th scope="col">CloudWatch TTFT</th>
            <th scope="col">CloudWatch InvocationLatency</th>
            <th scope="col">TTFT overhead</th>
            <th scope="col">E2E overhead</th>
            <th scope="col">Overhead share of TTFT</th>
          </tr>
        </thead>
        <tbody>
          {routes.map((route) => (
            <tr key={route.key} data-route={route.key} data-status={route.server.status}>
              <th scope="row" title={route.route.invokeId}>
                {routeName(route)}
              </th>
              <td>{route.client.requests}</td>
              <td>{ms(route.client.ttftMeanMs)}</td>
              <td>{ms(route.client.e2eMeanMs)}</td>
              {route.server.status === 'ok' ? (
                <>
                  <td title={`${route.server.invocations ?? '?'} invocations in CloudWatch’s minutes (the account’s, not only this run’s)`}>{ms(route.server.ttftMeanMs)}</td>
                  <td>{ms(route.server.invocationLatencyMeanMs)}</td>
                  <td>{ms(route.overheadMs.ttft)}</td>
                  <td>{ms(route.overheadMs.e2e)}</td>
                  <td>{route.overheadSharePercent === null ? '–' : `${route.overheadSharePercent} %`}</td>
                </>
              ) : (
                <td colSpan={5} className="sct-none" data-testid="sct-none">
                  <strong>{STATUS_WORDS[route.server.status]}</strong>
                  {reasonOf(route.server) ? ` (${reasonOf(route.server)})` : ''}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
