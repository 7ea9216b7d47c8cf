import type { LatencyProgress } from '../../src-shared/contract/latency';
import { routeLabel } from './charts/route-label';

const PHASES = { warmup: 'warming up', measuring: 'measuring', done: 'done', failed: 'failed' } as const;

/** Live progress per route: samples done of the total, errors, and the running p50 TTFT. */
export function ProgressTable({ rows, cancelled }: { rows: LatencyProgress[]; cancelled: boolean }) {
  if (rows.length === 0) return <p className="muted">Warming up connections…</p>;
  return (
    <table className="lat-table lat-progress" data-testid="progress" aria-label="Progress per route">
      <thead>
        <tr>
          <th scope="col">Route</th>
          <th scope="col">Invoke id</th>
          <th scope="col">Phase</th>
          <th scope="col">Samples</th>
          <th scope="col">Errors</th>
          <th scope="col">Running p50 TTFT</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-route={row.key}>
            <th scope="row">{routeLabel(row.key)}</th>
            <td title={row.route.invokeId}>
              <code>{row.route.invokeId}</code>
            </td>
            <td>{cancelled && row.phase !== 'done' && row.phase !== 'failed' ? 'cancelled' : PHASES[row.phase]}</td>
            <td>
              <progress max={row.total} value={row.done} aria-label={`${routeLabel(row.key)} samples`} /> {row.done} / {row.total}
            </td>
            <td className={row.errors > 0 ? 'lat-bad' : undefined}>{row.errors}</td>
            <td>{row.p50TtftMs === null ? '–' : `${Math.round(row.p50TtftMs)} ms`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
