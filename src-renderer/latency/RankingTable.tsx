import { useQuery } from '@tanstack/react-query';
import { memo, useState } from 'react';
import { describeAge } from '../../src-shared/describe-age';
import { LOCAL_VANTAGE } from '../../src-shared/contract/vantage';
import { useAtlas } from '../api/atlas-context';
import { vantageInput, vantageLabel } from '../fleet/use-fleet';

const KINDS = { 'on-demand': 'on demand', 'geo-profile': 'geo profile', 'global-profile': 'global profile' } as const;

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="lat-copy"
      aria-label={`Copy ${text}`}
      onClick={() =>
        void navigator.clipboard.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        })
      }
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

export interface RankingTableProps {
  target: string;
  regions: string[];
  defaultHome: string;
  refreshKey: string | null;
  /** Ranked by whose measurements: this machine (`local`), a team vantage, or `all` pooled. */
  vantage: string;
  /** Changes when a sync brings new team data. */
  teamStamp: string | null;
}

/** The target's routes from a home region, by measured p50 TTFT, then by access type for those not measured. */
export const RankingTable = memo(function RankingTable({ target, regions, defaultHome, refreshKey, vantage, teamStamp }: RankingTableProps) {
  const { api } = useAtlas();
  const [home, setHome] = useState(defaultHome);
  const ranking = useQuery({
    queryKey: ['rankRoutes', target, home, refreshKey, vantage, teamStamp],
    queryFn: () => api.rankRoutes({ target, from: home, ...vantageInput(vantage) }),
    enabled: target.trim() !== '',
  });
  // Ages as of the answer (render stays pure); the list is fetched again after every run.
  const now = ranking.dataUpdatedAt;
  return (
    <section className="lat-ranking" aria-labelledby="lat-ranking-title" data-testid="ranking">
      <header className="lat-section-header">
        <h2 id="lat-ranking-title">Ranking</h2>
        <label className="lat-field lat-inline">
          <span>Home region</span>
          <select value={home} onChange={(event) => setHome(event.target.value)}>
            {regions.map((region) => (
              <option key={region} value={region}>
                {region}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" data-testid="ranking-basis">
          Routes measured in the last 30 days{vantage === LOCAL_VANTAGE ? '' : ` from ${vantageLabel(vantage)}`} first, by p50 TTFT; then by access type.
        </span>
      </header>
      {!target.trim() ? <p className="lat-empty">Choose a target to rank its routes.</p> : null}
      {ranking.error ? (
        <p className="lat-error" role="alert">
          {(ranking.error as Error).message}
        </p>
      ) : null}
      {ranking.data && ranking.data.routes.length === 0 ? <p className="lat-empty">No route calls this target from {home}.</p> : null}
      {ranking.data && ranking.data.routes.length > 0 ? (
        <table className="lat-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Route id</th>
              <th scope="col">Call region</th>
              <th scope="col">Kind</th>
              <th scope="col">p50 TTFT</th>
              <th scope="col">Samples</th>
              <th scope="col">Measured</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {ranking.data.routes.map((route, index) => (
              <tr key={`${route.callRegion} ${route.invokeId}`} data-testid="ranked-route">
                <td>{index + 1}</td>
                <td className="lat-id">
                  <code>{route.invokeId}</code> <CopyButton text={route.invokeId} />
                </td>
                <td className="lat-nowrap">{route.callRegion}</td>
                <td className="lat-nowrap">{KINDS[route.kind]}</td>
                <td className="lat-nowrap">{route.ttftP50Ms === null ? 'not measured' : `${Math.round(route.ttftP50Ms)} ms`}</td>
                <td>{route.samples}</td>
                <td>{route.measuredAt ? describeAge(Math.max(0, now - Date.parse(route.measuredAt))) : '–'}</td>
                <td className="lat-reason">{route.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
});
