import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useCell } from '../app/cell';
import { LoadProgressTable } from './LoadProgressTable';
import type { LoadWork } from './load-work';

/** The time now, a second at a time while `ticking`: a timed level's progress moves even between chunks. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/** A load run's live part: the only component that re-renders on every progress flush. */
export function LoadLive({ work, confirmation }: { work: LoadWork; confirmation: ReactNode }) {
  const live = useSyncExternalStore(work.run.subscribe, work.run.getSnapshot);
  const [started] = useCell(work.started);
  const [notice] = useCell(work.notice);
  const now = useNow(live.status === 'running');
  const result = live.result;
  return (
    <section className="lat-live" aria-labelledby="lat-live-title" data-testid="live">
      <h2 id="lat-live-title">
        Progress{' '}
        {live.status === 'running' ? <span className="lat-badge">running</span> : null}
        {live.status === 'cancelled' ? <span className="lat-badge lat-badge-warn">cancelled</span> : null}
        {live.status === 'done' && result ? (
          result.status === 'failed' ? (
            <span className="lat-badge lat-badge-error">failed: no route answered</span>
          ) : result.stopped ? (
            <span className="lat-badge lat-badge-warn">stopped: budget reached</span>
          ) : result.status === 'partial' ? (
            <span className="lat-badge lat-badge-warn">partial: some routes failed</span>
          ) : (
            <span className="lat-badge lat-badge-ok">done</span>
          )
        ) : null}
      </h2>
      {confirmation}
      {live.status === 'idle' && !confirmation ? (
        <p className="lat-empty">No load run yet. Choose the levels, check the estimate, then press Start. Each route steps through its levels here; finished levels show their p50 TTFT.</p>
      ) : null}
      {live.status !== 'idle' ? <LoadProgressTable view={live.view} started={started} cancelled={live.status === 'cancelled'} now={now} /> : null}
      {live.status === 'failed' && live.error ? (
        <p className="lat-error" role="alert">
          The run did not start: {live.error.message}
        </p>
      ) : null}
      {live.status === 'cancelled' ? <p className="lat-warn-text">Cancelled: requests in flight were aborted upstream; every finished level is kept, and the level in progress as partial.</p> : null}
      {notice ? <p className="muted">{notice}</p> : null}
    </section>
  );
}
