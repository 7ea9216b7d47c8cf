import { useFleetSync } from './use-fleet';
import { describeProgress, describeSyncResult } from './sync-text';

/**
 * Sync now, its progress part by part, and Cancel: one button that turns into Cancel while the sync runs, so
 * keyboard focus stays on it. The last sync's outcome stays under it (from the status, whoever ran it).
 */
export function SyncControl({ disabledReason }: { disabledReason?: string | null }) {
  const { sync, cancel, progress, running, status } = useFleetSync();
  const last = status.data?.lastSync ?? null;
  const shownProgress = running && progress?.phase !== 'done';
  return (
    <div className="fleet-sync" data-testid="fleet-sync">
      <button
        type="button"
        className={running ? 'fleet-cancel' : undefined}
        onClick={() => (running ? cancel.mutate() : sync.mutate())}
        disabled={running ? cancel.isPending : Boolean(disabledReason)}
        title={running ? 'Stop the sync: the parts downloaded so far are kept' : (disabledReason ?? 'Copy new or changed parts of the team store into the local cache')}
      >
        {running ? 'Cancel sync' : 'Sync now'}
      </button>
      {shownProgress ? (
        <span role="status" aria-live="polite" className="fleet-progress" data-testid="fleet-sync-progress">
          <progress max={progress && progress.toDownload > 0 ? progress.toDownload : 1} value={progress ? progress.downloaded + progress.failed : 0} aria-label="Parts synced" />
          {describeProgress(progress)}
        </span>
      ) : null}
      {!running && disabledReason ? <span className="muted">{disabledReason}</span> : null}
      {!running && last ? (
        <span className={last.status === 'completed' ? 'muted' : 'fleet-warn'} data-testid="fleet-last-sync" role={sync.isSuccess ? 'status' : undefined}>
          {describeSyncResult(last)} <span className="muted">({new Date(last.finishedAt).toLocaleString()})</span>
        </span>
      ) : null}
      {sync.isError ? (
        <span className="fleet-bad" role="alert">
          {sync.error.message}
        </span>
      ) : null}
    </div>
  );
}
