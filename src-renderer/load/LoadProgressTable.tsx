import { KNEE_THROTTLE_SHARE, type LoadLevelReport, type LoadOffered } from '../../src-shared/contract/load';
import { routeLabel } from '../latency/charts/route-label';
import { offeredLabel, offeredValue } from './load-figures';
import type { LoadLiveView, RouteLoadProgress, StartedLoad } from './load-work';

/**
 * A load run's progress per route, level by level: the finished levels with their p50 TTFT (a level above the
 * throttle threshold marked), the level running with its requests and how far through it is, the levels to come.
 */

const PHASES = { warmup: 'warming up', running: 'running', done: 'all levels done', failed: 'failed' } as const;

export function LoadProgressTable({ view, started, cancelled, now }: { view: LoadLiveView; started: StartedLoad | null; cancelled: boolean; now: number }) {
  const rows = Object.values(view);
  if (rows.length === 0) return <p className="muted">Warming up connections…</p>;
  const first = started?.levels[0] ?? rows[0]?.progress.offered;
  const unit = first && 'ratePerSecond' in first ? 'req/s' : 'in flight';
  return (
    <table className="lat-table lat-progress load-progress" data-testid="load-progress" aria-label="Load progress per route">
      <thead>
        <tr>
          <th scope="col">Route</th>
          <th scope="col">Levels ({unit})</th>
          <th scope="col">This level</th>
          <th scope="col">Answered / sent</th>
          <th scope="col">Errors</th>
          <th scope="col">p50 TTFT</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <ProgressRow key={row.progress.key} row={row} started={started} cancelled={cancelled} now={now} />
        ))}
      </tbody>
    </table>
  );
}

function ProgressRow({ row, started, cancelled, now }: { row: RouteLoadProgress; started: StartedLoad | null; cancelled: boolean; now: number }) {
  const { progress } = row;
  const ended = progress.phase === 'done' || progress.phase === 'failed';
  const levels: LoadOffered[] = started?.levels ?? progress.finishedLevels.map((level) => level.offered).concat(ended ? [] : [progress.offered]);
  const position = levelPosition(row, started, now);
  return (
    <tr data-route={progress.key}>
      <th scope="row" title={progress.route.invokeId}>
        {routeLabel(progress.key)}
      </th>
      <td>
        <ol className="load-steps" aria-label={`Levels of ${routeLabel(progress.key)}`}>
          {levels.map((offered, index) => {
            const finished = progress.finishedLevels.find((level) => level.index === index);
            const current = !ended && progress.phase === 'running' && index === progress.levelIndex;
            return (
              <li key={index} className={stepClass(finished, current)} data-level={index} title={offeredLabel(offered)}>
                {offeredValue(offered)}
                {finished ? ` ✓ ${finished.ttftMs ? `${Math.round(finished.ttftMs.p50)} ms` : 'no answer'}` : current ? ' ▶' : ''}
                {finished && finished.throttleRate > KNEE_THROTTLE_SHARE ? ` · ${(finished.throttleRate * 100).toFixed(0)} % throttled` : ''}
              </li>
            );
          })}
        </ol>
      </td>
      <td>
        {progress.phase === 'running' && !cancelled ? (
          <>
            {position ? <progress max={1} value={position.fraction} aria-label={`${routeLabel(progress.key)} level ${progress.levelIndex + 1} of ${progress.levelCount}`} /> : null} {position?.text ?? `level ${progress.levelIndex + 1} of ${progress.levelCount}`}
            {progress.lateSends > 0 ? <span className="lat-warn-text"> · {progress.lateSends} late</span> : null}
          </>
        ) : (
          <span className={progress.phase === 'failed' ? 'lat-bad' : undefined}>{cancelled && !ended ? 'cancelled' : PHASES[progress.phase]}</span>
        )}
      </td>
      <td>
        {progress.done} / {progress.sent}
      </td>
      <td className={progress.errors > 0 ? 'lat-bad' : undefined}>
        {progress.errors}
        {progress.throttled > 0 ? ` (${progress.throttled} throttled)` : ''}
      </td>
      <td>{progress.p50TtftMs === null ? '–' : `${Math.round(progress.p50TtftMs)} ms`}</td>
    </tr>
  );
}

function stepClass(finished: LoadLevelReport | undefined, current: boolean): string {
  if (finished) return finished.throttleRate > KNEE_THROTTLE_SHARE ? 'load-step load-step-done load-step-throttled' : 'load-step load-step-done';
  return current ? 'load-step load-step-current' : 'load-step';
}

/** How far through its level a route is: by requests when a level is a count, by time when it is a duration. */
function levelPosition(row: RouteLoadProgress, started: StartedLoad | null, now: number): { fraction: number; text: string } | null {
  if (!started) return null;
  if (started.stepRequests !== null) return { fraction: Math.min(1, row.progress.done / started.stepRequests), text: `${row.progress.done} of ${started.stepRequests}` };
  if (started.stepDurationMs === null) return null;
  const elapsed = Math.max(0, now - row.levelSeenAt);
  return { fraction: Math.min(1, elapsed / started.stepDurationMs), text: `${Math.min(Math.round(elapsed / 1000), Math.round(started.stepDurationMs / 1000))} of ${Math.round(started.stepDurationMs / 1000)} s` };
}
