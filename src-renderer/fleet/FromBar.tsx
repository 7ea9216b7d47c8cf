import { describeAge } from '../../src-shared/describe-age';
import { SyncControl } from './SyncControl';
import { describePartProblems, storeProblem } from './sync-text';
import type { VantageChoiceState } from './use-fleet';
import { VantageSelect } from './VantageSelect';

/**
 * The latency lab's "from" line: whose measurements the history and the ranking show (this machine, a vantage of
 * the team's store, or all), how fresh the team data is, and what is wrong with it. Without a team store it says
 * so in one line and points to Settings.
 */
export function FromBar({ choice }: { choice: VantageChoiceState }) {
  const { status, team, vantage, setVantage } = choice;
  if (status.isError) {
    return (
      <section className="fleet-from" aria-label="Measurements from" data-testid="fleet-from">
        <p className="fleet-bad">Team data could not be read: {status.error.message}. The figures below are this machine’s.</p>
      </section>
    );
  }
  if (!status.data) return null;
  const { location, lastSyncAt, problems } = status.data;
  const unreachable = storeProblem(problems);
  const partProblems = describePartProblems(problems);
  return (
    <section className="fleet-from" aria-label="Measurements from" data-testid="fleet-from">
      {team.length > 0 ? <VantageSelect value={vantage} onChange={setVantage} team={team} /> : <span className="fleet-from-only">From this machine.</span>}
      {location === null ? (
        <span className="muted" data-testid="fleet-not-set">
          No team data: <a href="#/settings">set a team store in Settings</a> to see the measurements your monitors take from where your workloads run.
        </span>
      ) : (
        <span className="muted" data-testid="fleet-freshness">
          Team data from <code>{location}</code>
          {lastSyncAt ? `, synced ${describeAge(Math.max(0, status.dataUpdatedAt - Date.parse(lastSyncAt)))}` : ', not synced yet'}.
        </span>
      )}
      {location !== null && team.length === 0 && !unreachable ? <SyncControl /> : null}
      {unreachable ? (
        <p className="fleet-warn fleet-from-problem" role="status" data-testid="fleet-unreachable">
          {lastSyncAt ? 'The team store could not be read at the last sync, so the data synced before is shown' : 'The team store could not be read'}: {unreachable.message}{' '}
          <a href="#/settings">Team data settings</a>
        </p>
      ) : null}
      {partProblems ? (
        <p className="fleet-warn fleet-from-problem" data-testid="fleet-part-problems">
          Read in part: {partProblems}. <a href="#/settings">Which parts</a>
        </p>
      ) : null}
    </section>
  );
}
