import { useId } from 'react';
import { parseStoreLocation, type FleetProblem, type FleetStatus } from '../../src-shared/contract/fleet';
import { formatBytes, PROBLEM_TITLE } from './sync-text';
import { SyncControl } from './SyncControl';
import { teamVantages, useFleetStatus } from './use-fleet';
import './fleet.css';

const dateOf = (at: string | null) => (at ? new Date(at).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : '–');

/**
 * Settings, "Team data": where the team's store is (a directory or s3://bucket/prefix, checked as it is typed with
 * the contract's own reading), Sync now with its progress and Cancel, when it was last synced, the vantages found
 * with their counts and dates, and what could not be read, named. The location is part of the settings form: it
 * takes effect when saved, and a sync reads the saved one.
 */
export function TeamDataSection({ draft, saved, onDraft }: { draft: string | null; saved: string | null; onDraft(next: string | null): void }) {
  const id = useId();
  const status = useFleetStatus();
  const problem = draft === null ? null : (() => {
    const parsed = parseStoreLocation(draft);
    return 'error' in parsed ? parsed.error : null;
  })();
  const unsaved = (draft ?? '') !== (saved ?? '');
  const disabledReason = saved === null ? 'Set a location and save to sync.' : unsaved ? 'Save the new location first: a sync reads the saved one.' : null;
  return (
    <fieldset className="fleet-settings" data-testid="team-data">
      <legend>Team data</legend>
      <p className="muted">
        The latency samples your team’s monitors (<code>bedrock-atlas monitor</code>) write as Parquet, read beside this machine’s history: the latency lab and the matrix can then show them by vantage.
      </p>
      <label htmlFor={`${id}-location`}>Location</label>
      <input
        id={`${id}-location`}
        type="text"
        className="fleet-location"
        placeholder="/shared/atlas-store or s3://bucket/prefix"
        spellCheck={false}
        value={draft ?? ''}
        aria-invalid={problem !== null}
        aria-describedby={`${id}-location-help`}
        onChange={(event) => onDraft(event.target.value.trim() === '' ? null : event.target.value)}
      />
      <p id={`${id}-location-help`} className={problem ? 'fleet-bad' : 'muted'} data-testid="team-store-check" role={problem ? 'alert' : undefined}>
        {problem ?? (draft === null ? 'None: only this machine’s measurements are shown. Leave empty to turn team data off.' : 'A directory or an s3:// prefix: S3 uses the AWS profile above (its endpoint settings included).')}
      </p>
      <SyncControl disabledReason={disabledReason} />
      {status.isError ? <p className="fleet-bad">The team data status could not be read: {status.error.message}</p> : null}
      {status.data ? <TeamDataStatus status={status.data} /> : null}
    </fieldset>
  );
}

function TeamDataStatus({ status }: { status: FleetStatus }) {
  const team = teamVantages(status);
  return (
    <div className="fleet-status" data-testid="team-data-status">
      {status.location ? (
        <p>
          {status.lastSyncAt ? (
            <>
              Last synced <strong>{new Date(status.lastSyncAt).toLocaleString()}</strong> from <code>{status.location}</code>:{' '}
            </>
          ) : (
            <>
              <code>{status.location}</code> has not been synced yet.{' '}
            </>
          )}
          {status.partsCached > 0 ? `${status.partsCached} parts cached (${formatBytes(status.bytesCached)}).` : null}
        </p>
      ) : null}
      <Problems problems={status.problems} />
      {team.length > 0 ? (
        <table className="lat-table fleet-vantages" data-testid="team-vantages">
          <caption className="visually-hidden">Vantages found</caption>
          <thead>
            <tr>
              <th scope="col">Vantage</th>
              <th scope="col">Samples</th>
              <th scope="col">Runs</th>
              <th scope="col">Parts</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
            </tr>
          </thead>
          <tbody>
            {status.vantages.map((vantage) => (
              <tr key={vantage.name}>
                <th scope="row">{vantage.label}</th>
                <td>{vantage.samples.toLocaleString()}</td>
                <td>{vantage.runs.toLocaleString()}</td>
                <td>{vantage.name === 'local' ? '–' : vantage.parts.toLocaleString()}</td>
                <td>{dateOf(vantage.firstAt)}</td>
                <td>{dateOf(vantage.lastAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : status.location && status.lastSyncAt ? (
        <p className="muted" data-testid="team-no-vantages">
          The store holds no readable samples yet: a monitor writes its first part after its first cycle.
        </p>
      ) : null}
    </div>
  );
}

/** A store with many bad parts names the first few, and counts the rest. */
const PROBLEMS_SHOWN = 8;

/** Each problem named with its part (unless its message names it already), so a corrupt or newer part can be found in the store. */
export function Problems({ problems }: { problems: readonly FleetProblem[] }) {
  if (problems.length === 0) return null;
  const shown = problems.slice(0, PROBLEMS_SHOWN);
  return (
    <ul className="fleet-problems" data-testid="team-problems" aria-label="What could not be read">
      {shown.map((problem, index) => (
        <li key={`${problem.kind} ${problem.part ?? ''} ${index}`}>
          <strong>{PROBLEM_TITLE[problem.kind]}</strong>
          {problem.part && !problem.message.includes(problem.part) ? (
            <>
              {' '}
              <code>{problem.part}</code>
            </>
          ) : null}
          : {problem.message}
        </li>
      ))}
      {problems.length > shown.length ? <li className="muted">and {problems.length - shown.length} more</li> : null}
    </ul>
  );
}
