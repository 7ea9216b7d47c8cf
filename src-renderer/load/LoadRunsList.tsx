import { useQuery } from '@tanstack/react-query';
import { memo, useState } from 'react';
import { useAtlas } from '../api/atlas-context';
import { routeLabel } from '../latency/charts/route-label';

/** How many stored runs are read to find the load runs among them (the most the history answers at once). */
const RUNS_READ = 1000;
const SHOWN = 12;

/** The stored load runs, newest first, each reopened in the results with its levels, knee and curves. */
export const LoadRunsList = memo(function LoadRunsList({ refreshKey, onOpen }: { refreshKey: string | null; onOpen(runId: string): Promise<void> }) {
  const { api } = useAtlas();
  const history = useQuery({ queryKey: ['latencyHistory', 'load-runs', refreshKey], queryFn: () => api.latencyHistory({ limit: RUNS_READ }) });
  const [opening, setOpening] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const runs = (history.data?.runs ?? []).filter((run) => run.kind === 'load');
  const shown = all ? runs : runs.slice(0, SHOWN);

  const open = async (runId: string) => {
    setOpening(runId);
    setFailure(null);
    try {
      await onOpen(runId);
    } catch (error) {
      setFailure(`The load run could not be opened: ${(error as Error).message}`);
    } finally {
      setOpening(null);
    }
  };

  return (
    <div className="load-runs" data-testid="load-runs">
      <h3>Load runs</h3>
      {history.error ? (
        <p className="lat-error" role="alert">
          {(history.error as Error).message}
        </p>
      ) : runs.length === 0 ? (
        <p className="lat-empty">{history.isPending ? 'Reading the history…' : 'No load run is stored yet. Choose Load in the form above to run one; it is kept here to reopen.'}</p>
      ) : (
        <table className="lat-table" aria-label="Stored load runs">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Target</th>
              <th scope="col">Routes</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((run) => (
              <tr key={run.id} data-run={run.id}>
                <td>{new Date(run.startedAt).toLocaleString()}</td>
                <td>
                  <code>{run.target ?? '–'}</code>
                </td>
                <td>
                  {Object.entries(run.regions)
                    .map(([key, figures]) => `${routeLabel(key)} (${figures.samples})`)
                    .join(', ') || '–'}
                </td>
                <td>{run.status}</td>
                <td>
                  <button type="button" onClick={() => void open(run.id)} disabled={opening !== null} aria-label={`Open the load run of ${new Date(run.startedAt).toLocaleString()}`}>
                    {opening === run.id ? 'Opening…' : 'Open'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs.length > SHOWN ? (
        <button type="button" className="link-button" onClick={() => setAll(!all)}>
          {all ? `Show the latest ${SHOWN}` : `Show all ${runs.length}`}
        </button>
      ) : null}
      {failure ? (
        <p className="lat-error" role="alert">
          {failure}
        </p>
      ) : null}
    </div>
  );
});
