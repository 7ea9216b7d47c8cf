import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AttributionJob, Percentiles, RouteAttribution } from '../../src-shared/contract/attribution';
import { useAtlas, useAtlasEvent } from '../api/atlas-context';
import type { ChartTheme } from '../latency/charts/chart-theme';
import { jobSentence, servedRows, settled, type ServedRow } from './attribution-figures';
import { ServedLatencyChart, ServedShareChart } from './ServedRegionCharts';
import './attribution.css';

/**
 * Where a run's requests really ran (issue 18 §2): the attribution job's state (looking, with its progress; done;
 * stopped; CloudTrail not readable and the fix), and per profile route the share each region served with TTFT and
 * E2E by served region. Asking for the results starts the job the first time; each pass it makes refreshes them.
 * The run's own figures above never wait for it: without attribution they stay as they are.
 */

const pair = (figures: Percentiles | null) => (figures ? `${Math.round(figures.p50)} / ${Math.round(figures.p90)}` : '–');

export function AttributionSection({ runId, theme }: { runId: string; theme: ChartTheme }) {
  const { api } = useAtlas();
  const client = useQueryClient();
  const key = ['attributionResults', runId];
  const results = useQuery({
    queryKey: key,
    queryFn: () => api.attributionResults({ runId }),
    // Each pass sends an event; the interval only covers one missed while the connection was down.
    refetchInterval: (query) => (query.state.data?.job.state === 'running' ? 30_000 : false),
  });
  useAtlasEvent('attribution.progress', (job) => {
    if (job.jobId === runId) void client.invalidateQueries({ queryKey: key });
  });
  const action = useMutation({
    mutationFn: (what: 'start' | 'cancel') => (what === 'start' ? api.startAttribution({ runId }) : api.cancelAttribution({ runId })),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });

  const data = results.data;
  const profileRoutes = data?.routes.filter((route) => route.via === 'cloudtrail') ?? [];
  const onDemand = data?.routes.filter((route) => route.via === 'route') ?? [];
  return (
    <section className="attr-section" aria-labelledby={`attr-title-${runId}`} data-testid="attribution">
      <h3 id={`attr-title-${runId}`}>Where it really ran</h3>
      {results.error ? (
        <p className="lat-error" role="alert">
          Attribution is not available: {(results.error as Error).message}
        </p>
      ) : !data ? (
        <p className="muted">Asking where the requests ran…</p>
      ) : (
        <>
          <JobStatus job={data.job} busy={action.isPending} onStart={() => action.mutate('start')} onCancel={() => action.mutate('cancel')} />
          {action.error ? (
            <p className="lat-error" role="alert">
              {(action.error as Error).message}
            </p>
          ) : null}
          {onDemand.length > 0 ? (
            <p className="muted" data-testid="attr-on-demand">
              On demand, served where called: {onDemand.map((route) => route.route.callRegion).join(', ')}.
            </p>
          ) : null}
          {profileRoutes.map((route) => (
            <RouteServed key={route.key} route={route} theme={theme} />
          ))}
        </>
      )}
    </section>
  );
}

function JobStatus({ job, busy, onStart, onCancel }: { job: AttributionJob; busy: boolean; onStart(): void; onCancel(): void }) {
  const canLookAgain = job.state === 'cancelled' || (job.state === 'done' && job.counts.unattributed + job.counts.unreadable > 0);
  return (
    <div className={`attr-status attr-${job.state}`} data-testid="attr-status" data-state={job.state}>
      <p aria-live="polite">
        {job.state === 'running' ? <progress max={job.counts.requests || 1} value={settled(job)} aria-label="Requests attributed or given up on" /> : null} {jobSentence(job)}
        {job.counts.duplicatesResolved > 0 ? <span className="muted"> CloudTrail answered {job.counts.duplicatesResolved} events twice; each request counts once.</span> : null}
      </p>
      {job.problems.length > 0 ? (
        <ul className="attr-problems" aria-label="CloudTrail problems" data-testid="attr-problems">
          {job.problems.map((problem) => (
            <li key={`${problem.region}-${problem.code}`}>
              <strong>CloudTrail not readable in {problem.region}:</strong> {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
      {job.state === 'running' ? (
        <button type="button" onClick={onCancel} disabled={busy}>
          Stop looking
        </button>
      ) : canLookAgain ? (
        <button type="button" onClick={onStart} disabled={busy} title="Looks again, for another 30 minutes, for every request not found yet">
          {job.state === 'cancelled' ? 'Resume attribution' : 'Look again'}
        </button>
      ) : null}
    </div>
  );
}

function RouteServed({ route, theme }: { route: RouteAttribution; theme: ChartTheme }) {
  const rows = servedRows(route);
  const title = `from ${route.route.callRegion}${route.route.invokeId.includes('.') ? ` · ${route.route.invokeId.split('.')[0]} profile` : ''}`;
  const fileName = `${route.route.callRegion}-${route.route.invokeId.replace(/[^\w.-]/g, '_')}`;
  const { counts } = route;
  const attributed = rows.some((row) => row.requests > 0);
  return (
    <div className="attr-route" data-testid="attr-route" data-route={route.key}>
      <p className="attr-route-title">
        <strong>{route.route.callRegion}</strong> <code>{route.route.invokeId}</code>{' '}
        <span className="muted">
          {counts.attributed} of {counts.requests} answered requests attributed
          {counts.pending > 0 ? `, ${counts.pending} pending` : ''}
          {counts.unattributed > 0 ? `, ${counts.unattributed} unattributed` : ''}
          {counts.unreadable > 0 ? `, ${counts.unreadable} unreadable` : ''} · declares {route.declaredDestinations.length > 0 ? route.declaredDestinations.join(', ') : 'no destinations in this catalog'}
        </span>
      </p>
      {/* Until one is found, a table of declared destinations at 0 % would only repeat the title's list. */}
      {attributed ? (
        <>
          <div className="lat-chart-grid">
            <ServedShareChart rows={rows} title={title} theme={theme} fileName={fileName} />
            <ServedLatencyChart rows={rows} title={title} theme={theme} fileName={fileName} />
          </div>
          <ServedTable rows={rows} title={title} />
        </>
      ) : (
        <p className="lat-empty">No request of this route is attributed yet.</p>
      )}
    </div>
  );
}

function ServedTable({ rows, title }: { rows: ServedRow[]; title: string }) {
  return (
    <div className="lat-table-scroll">
      <table className="lat-table attr-table" data-testid="served-table" aria-label={`Served regions, ${title}`}>
        <thead>
          <tr>
            <th scope="col">Served in</th>
            <th scope="col">Declared</th>
            <th scope="col">Requests</th>
            <th scope="col">Share</th>
            <th scope="col">TTFT p50 / p90 ms</th>
            <th scope="col">E2E p50 / p90 ms</th>
            <th scope="col">Bedrock’s time p50 / p90 ms</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.region} data-region={row.region}>
              <th scope="row">{row.region}</th>
              <td className={row.declared ? undefined : 'lat-warn-text'}>{row.declared ? 'yes' : '⚠ not declared'}</td>
              <td>{row.requests}</td>
              <td>{row.sharePercent} %</td>
              <td>{pair(row.ttftMs)}</td>
              <td>{pair(row.e2eMs)}</td>
              <td title="metrics.latencyMs of the responses">{pair(row.serverLatencyMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
