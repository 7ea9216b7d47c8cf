import { Fragment } from 'react';
import { KNEE_THROTTLE_SHARE, type LoadKnee, type LoadLevelReport, type Slo } from '../../src-shared/contract/load';
import { describeErrorCounts } from '../latency/error-counts';
import { formatRps, formatStats, levelNotes, offeredLabel } from './load-figures';

/** Every figure of every level of one route; the knee's row marked, partial and late levels said under their load. */
export function LevelTable({ levels, knee, slo, routeLabel }: { levels: LoadLevelReport[]; knee: LoadKnee | null; slo: Slo | null; routeLabel: string }) {
  const columns = slo ? 11 : 10;
  return (
    <div className="lat-table-scroll">
      <table className="lat-table load-levels" data-testid="load-levels" aria-label={`Levels of ${routeLabel}`}>
        <thead>
          <tr>
            <th scope="col">Offered</th>
            <th scope="col" title="Answered requests per second">Achieved req/s</th>
            <th scope="col">TTFT p50 / p90 / p99 ms</th>
            <th scope="col">ITL p50 / p90 / p99 ms</th>
            <th scope="col">E2E p50 / p90 / p99 ms</th>
            <th scope="col" title="Output tokens per second of all answers together">Output tok/s</th>
            <th scope="col">Sent / answered</th>
            <th scope="col">Throttled</th>
            <th scope="col">Other errors</th>
            <th scope="col" title="Connections opened during the level">Conns</th>
            {slo ? (
              <th scope="col" title="Requests per second that met every bound of the SLO, and the share of requests that did">
                Goodput req/s
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {levels.map((level) => {
            const isKnee = knee?.levelIndex === level.index;
            const notes = levelNotes(level);
            const { throttled, ...others } = level.errors;
            return (
              <Fragment key={level.index}>
                <tr className={isKnee ? 'load-knee-row' : undefined} data-level={level.index} aria-current={isKnee ? 'true' : undefined}>
                  <th scope="row">
                    {offeredLabel(level.offered)}
                    {isKnee ? <span className="lat-badge lat-badge-error">knee</span> : null}
                  </th>
                  <td>{formatRps(level.achievedRps)}</td>
                  <td>{formatStats(level.ttftMs)}</td>
                  <td>{formatStats(level.interTokenMs, 1)}</td>
                  <td>{formatStats(level.e2eMs)}</td>
                  <td>{level.outputTokensPerSecond.toFixed(0)}</td>
                  <td>
                    {level.sent} / {level.samples}
                  </td>
                  <td className={level.throttleRate > KNEE_THROTTLE_SHARE ? 'lat-bad' : undefined}>{throttled > 0 ? `${throttled} (${(level.throttleRate * 100).toFixed(1)} %)` : '0'}</td>
                  <td className="lat-errors">{describeErrorCounts({ ...others, throttled: 0 })}</td>
                  <td title={`${level.connectionsReused} requests reused a connection`}>{level.connectionsOpened}</td>
                  {slo ? (
                    <td className={level.sloMet === false ? 'lat-warn-text' : undefined}>
                      {formatRps(level.goodputRps ?? null)}
                      {level.sloAttainment !== undefined ? ` (${Math.round(level.sloAttainment * 100)} %)` : ''}
                      {level.sloMet === false ? ' ✗' : level.sloMet ? ' ✓' : ''}
                    </td>
                  ) : null}
                </tr>
                {/* What a reader must know of the level, on a line of its own under it: the columns stay narrow. */}
                {notes.length > 0 ? (
                  <tr className={`load-note-row${isKnee ? ' load-knee-row' : ''}`} data-level={level.index}>
                    <td colSpan={columns}>
                      {notes.map((note) => (
                        <span key={note} className={`load-note${note.startsWith('fell behind') ? ' lat-warn-text' : ''}`} data-testid="level-note">
                          {note}
                        </span>
                      ))}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
