import { useQuery } from '@tanstack/react-query';
import { memo, useState } from 'react';
import type { TtftByVantage } from '../../src-shared/contract/fleet';
import { useAtlas } from '../api/atlas-context';
import { Problems } from './TeamDataSection';
import { vantageLabel, type VantageChoiceState } from './use-fleet';
import { VantageHeatmap } from './VantageHeatmap';
import { describeFigures, vantageSpread } from './vantage-grid';

const WINDOWS = [
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
] as const;
type VantageWindow = (typeof WINDOWS)[number]['id'];

/**
 * "By vantage": the target's p50 TTFT from each vantage (this machine and the team's monitors) to each region, as a
 * heatmap or a table with p90, p99 and the sample counts. The point is the difference where the caller stands
 * makes, so the reading above the grid names the widest one.
 */
export const VantageSection = memo(function VantageSection({ target, choice, refreshKey }: { target: string; choice: VantageChoiceState; refreshKey: string | null }) {
  const { api } = useAtlas();
  const [window, setWindow] = useState<VantageWindow>('30d');
  const [show, setShow] = useState<'heatmap' | 'table'>('heatmap');
  const trimmed = target.trim();
  const configured = choice.status.data?.location != null;
  const answer = useQuery({
    queryKey: ['ttftByVantage', trimmed, window, choice.status.data?.lastSyncAt ?? null, refreshKey],
    queryFn: () => api.ttftByVantage({ target: trimmed, since: window }),
    enabled: trimmed !== '' && configured,
  });
  return (
    <section className="fleet-by-vantage" aria-labelledby="fleet-by-vantage-title" data-testid="by-vantage">
      <header className="lat-section-header">
        <h2 id="fleet-by-vantage-title">By vantage</h2>
        <span className="muted">p50 time to first token from each place measured to each region.</span>
        {configured ? (
          <>
            <div className="lat-window" role="radiogroup" aria-label="By vantage window">
              {WINDOWS.map((option) => (
                <button key={option.id} type="button" role="radio" aria-checked={window === option.id} className={window === option.id ? 'active' : undefined} onClick={() => setWindow(option.id)} title={`The last ${option.label}`}>
                  {option.id}
                </button>
              ))}
            </div>
            <div className="lat-window" role="radiogroup" aria-label="Show as">
              {(['heatmap', 'table'] as const).map((option) => (
                <button key={option} type="button" role="radio" aria-checked={show === option} className={show === option ? 'active' : undefined} onClick={() => setShow(option)}>
                  {option}
                </button>
              ))}
            </div>
          </>
        ) : null}
      </header>
      {!configured ? (
        choice.status.data ? (
          <p className="lat-empty" data-testid="by-vantage-not-set">
            No team data yet: <a href="#/settings">set a team store in Settings</a>, and this compares this machine with every vantage your monitors measure from.
          </p>
        ) : null
      ) : !trimmed ? (
        <p className="lat-empty">Choose a target to compare its vantages.</p>
      ) : answer.error ? (
        <p className="lat-error" role="alert">
          {answer.error.message}
        </p>
      ) : !answer.data ? (
        <p className="muted">Reading the team data…</p>
      ) : (
        <ByVantage answer={answer.data} show={show} window={WINDOWS.find((option) => option.id === window)!.label} teamCount={choice.team.length} />
      )}
    </section>
  );
});

function ByVantage({ answer, show, window, teamCount }: { answer: TtftByVantage; show: 'heatmap' | 'table'; window: string; teamCount: number }) {
  const teamMeasured = answer.vantages.some((vantage) => vantage !== 'local');
  if (answer.cells.length === 0) {
    return (
      <>
        <p className="lat-empty" data-testid="by-vantage-empty">
          No samples of <code>{answer.target}</code> in the last {window}
          {teamCount === 0
            ? ' from this machine, and no team vantage is synced yet: sync the store once a monitor has written to it.'
            : `, from this machine or from ${teamCount === 1 ? 'the team’s vantage' : `any of the team’s ${teamCount} vantages`}. A monitor measures it once its config names it as a target.`}
        </p>
        <Problems problems={answer.problems} />
      </>
    );
  }
  const widest = vantageSpread(answer.cells)[0];
  return (
    <>
      <p className="fleet-reading" data-testid="by-vantage-reading">
        {widest && Math.round(widest.slowest.p50Ms - widest.fastest.p50Ms) > 0 ? (
          <>
            The widest gap is to <strong>{widest.region}</strong>: {Math.round(widest.fastest.p50Ms)} ms from {vantageLabel(widest.fastest.vantage)}, {Math.round(widest.slowest.p50Ms)} ms from {vantageLabel(widest.slowest.vantage)} (
            {Math.round(widest.slowest.p50Ms - widest.fastest.p50Ms)} ms apart).
          </>
        ) : (
          `${answer.cells.length} vantage × region figure${answer.cells.length === 1 ? '' : 's'} over the last ${window}.`
        )}
        {!teamMeasured ? <span className="muted"> No team vantage measured this target in the last {window}: only this machine’s figures are shown.</span> : null}
      </p>
      {show === 'heatmap' ? <VantageHeatmap answer={answer} /> : <VantageTable answer={answer} />}
      <Problems problems={answer.problems} />
    </>
  );
}

function VantageTable({ answer }: { answer: TtftByVantage }) {
  const rows = [...answer.cells].sort((a, b) => answer.vantages.indexOf(a.vantage) - answer.vantages.indexOf(b.vantage) || a.region.localeCompare(b.region));
  return (
    <table className="lat-table fleet-table" data-testid="by-vantage-table">
      <caption className="visually-hidden">TTFT by vantage and region, {answer.target}</caption>
      <thead>
        <tr>
          <th scope="col">Vantage</th>
          <th scope="col">Region</th>
          <th scope="col" className="fleet-number">
            p50 TTFT
          </th>
          <th scope="col" className="fleet-number">
            p90
          </th>
          <th scope="col" className="fleet-number">
            p99
          </th>
          <th scope="col" className="fleet-number">
            Samples
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((cell) => (
          <tr key={`${cell.vantage} ${cell.region}`} title={describeFigures(cell)}>
            <th scope="row">{vantageLabel(cell.vantage)}</th>
            <td>{cell.region}</td>
            <td className="fleet-number">{Math.round(cell.p50Ms)} ms</td>
            <td className="fleet-number">{Math.round(cell.p90Ms)} ms</td>
            <td className="fleet-number">{Math.round(cell.p99Ms)} ms</td>
            <td className="fleet-number">{cell.samples.toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
