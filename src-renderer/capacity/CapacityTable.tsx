import type { BindingLimit, CapacityAnswer, CapacityRoute } from '../../src-shared/contract/capacity';
import { visibleText } from '../../src-shared/text/visible-text';
import { IdText, RegionText } from '../matrix/panel-parts';
import { formatCount, formatPercent, formatUsd } from './format';
import { KIND_LABEL } from './QuotasSection';
import { NO_QUOTA_FOUND } from './QuotaTable';
import { PriceTableDate } from './RoutePrices';

export const LIMIT_LABEL: Record<BindingLimit, string> = {
  'requests-per-minute': 'requests per minute',
  'tokens-per-minute': 'tokens per minute',
  'tokens-per-day': 'tokens per day',
};

/** The same, short enough for a table cell. */
const LIMIT_SHORT: Record<BindingLimit, string> = { 'requests-per-minute': 'requests/min', 'tokens-per-minute': 'tokens/min', 'tokens-per-day': 'tokens/day' };

/**
 * The global profile is "the way out" when it carries more than every other route from the region: the table marks
 * its row and says by how much. Null when it does not (or there is no global profile with a quota).
 */
export function wayOut(routes: readonly CapacityRoute[]): { invokeId: string; times: number | null } | null {
  const global = routes.find((route) => route.routeKind === 'global-profile' && route.maxRequestsPerMinute !== null);
  if (!global) return null;
  const others = routes.filter((route) => route !== global).map((route) => route.maxRequestsPerMinute ?? 0);
  const next = Math.max(0, ...others);
  if (global.maxRequestsPerMinute! <= next) return null;
  return { invokeId: global.invokeId, times: next > 0 ? global.maxRequestsPerMinute! / next : null };
}

function describeTarget(answer: CapacityAnswer, input: { concurrency?: number; durationMs?: number }): string {
  const rate = `${formatCount(answer.targetRequestsPerMinute)} requests per minute`;
  return input.concurrency !== undefined && input.durationMs !== undefined ? `${rate} (${formatCount(input.concurrency)} in flight × 60,000 ms / ${formatCount(input.durationMs)} ms)` : rate;
}

function Headroom({ route }: { route: CapacityRoute }) {
  if (route.headroomPercent === null) {
    const why =
      route.maxRequestsPerMinute === null
        ? NO_QUOTA_FOUND
        : route.usage.status === 'denied' || route.usage.status === 'error'
          ? 'usage could not be read'
          : 'unknown';
    return <span className="muted">{why}</span>;
  }
  return (
    <span className={route.headroomPercent < 0 ? 'cap-over' : route.headroomPercent < 20 ? 'cap-tight' : undefined} title={route.headroomLimit ? `least room under the ${LIMIT_LABEL[route.headroomLimit]} quota, with today's peak` : undefined}>
      {formatPercent(route.headroomPercent)}
      {route.headroomPercent < 0 ? ' (over)' : ''}
      {route.headroomLimit ? <span className="muted cap-small"> {LIMIT_SHORT[route.headroomLimit]}</span> : null}
    </span>
  );
}

/** Section c's answer: every route from the source region side by side, best first. */
export function CapacityTable({ answer, input }: { answer: CapacityAnswer; input: { concurrency?: number; durationMs?: number } }) {
  const out = wayOut(answer.routes);
  const { workload, burndown } = answer;
  return (
    <div className="cap-result" data-testid="capacity-result">
      <p className="cap-result-summary" data-testid="capacity-summary">
        Target <strong>{describeTarget(answer, input)}</strong> · per request {formatCount(workload.inputTokens)} input + {formatCount(workload.cacheWriteTokens)} cache write + {formatCount(workload.outputTokens)} output
        {workload.outputFrom === 'max_tokens' ? ' (max_tokens: no expected output given)' : ''}
        {workload.cacheReadTokens > 0 ? `; ${formatCount(workload.cacheReadTokens)} cache read, which does not count` : ''}.
      </p>
      <p className="cap-result-note muted" data-testid="burndown-source">
        Output burndown ×{burndown.rate}: {burndown.matchedEntry ? <>entry <code>{visibleText(burndown.matchedEntry)}</code> of the table of {burndown.asOf.slice(0, 10)}</> : <>no entry of the table of {burndown.asOf.slice(0, 10)} matches this model, so 1 applies</>} (
        <RegionText text={burndown.source} />
        ).
        {answer.modelLimits ? ` max_tokens checked against the model's output limit of ${formatCount(answer.modelLimits.maxOutputTokens)} (${answer.modelLimits.source}, ${answer.modelLimits.asOf.slice(0, 10)}).` : ' The model’s output limit is not known: max_tokens was not checked against it.'}
      </p>
      {answer.quotasError ? (
        <p className="quota-failed" role="note" data-testid="capacity-quotas-error">
          ⚠ The quotas of {answer.from} could not be read ({answer.quotasError.code}: <RegionText text={answer.quotasError.message} />
          ){answer.quotasFetchedAt ? `: the figures use the quotas last read ${new Date(answer.quotasFetchedAt).toLocaleString()}.` : ': no route can be sized.'}
        </p>
      ) : null}
      <div className="cap-table-scroll">
        <table className="dense cap-table" data-testid="capacity-table" aria-label={`What each route from ${answer.from} can carry`}>
          <thead>
            <tr>
              <th scope="col">Route</th>
              <th scope="col">Kind</th>
              <th scope="col" title="Held at the start of a request: input + cache write + max_tokens">
                Reserved / settled tokens
              </th>
              <th scope="col" title="Output tokens count this many times against the quota">
                Burndown
              </th>
              <th scope="col" title="Quota tokens per minute the target rate burns (settled)">
                Tokens/min at target
              </th>
              <th scope="col">Max requests/min</th>
              <th scope="col" title="Requests that can be in flight at once while each holds its reservation: tokens-per-minute quota / reserved">
                Max in flight
              </th>
              <th scope="col">Binds first</th>
              <th scope="col" title="Room left under the tightest quota once the target rate is added to today's peak">
                Headroom
              </th>
              <th scope="col">Cost / 1,000 requests</th>
            </tr>
          </thead>
          <tbody>
            {answer.routes.map((route) => {
              const isWayOut = out?.invokeId === route.invokeId;
              return (
                <tr key={route.invokeId} className={isWayOut ? 'cap-way-out' : undefined} data-testid="capacity-row" data-kind={route.routeKind}>
                  <th scope="row">
                    <IdText id={route.invokeId} />
                    {isWayOut ? (
                      <div className="cap-way-out-note" data-testid="way-out">
                        ★ the way out: {out.times === null ? 'the only route with capacity' : `${out.times >= 10 ? Math.round(out.times) : out.times.toFixed(1)}× the next route`}
                      </div>
                    ) : null}
                  </th>
                  <td className="cap-nowrap">{KIND_LABEL[route.routeKind]}</td>
                  <td className="num">
                    {formatCount(route.reservedTokensPerRequest)} / {formatCount(route.settledTokensPerRequest)}
                  </td>
                  <td className="num">×{route.burndownRate}</td>
                  <td className="num">{formatCount(route.tokensPerMinuteAtTarget)}</td>
                  <td className="num cap-strong">{route.maxRequestsPerMinute === null ? <span className="quota-none">{NO_QUOTA_FOUND}</span> : formatCount(route.maxRequestsPerMinute)}</td>
                  <td className="num">{route.maxInFlightByReservation === null ? '–' : formatCount(route.maxInFlightByReservation)}</td>
                  <td className="cap-nowrap" title={route.bindingLimit ? `The ${LIMIT_LABEL[route.bindingLimit]} quota gives the lowest maximum` : undefined}>
                    {route.bindingLimit ? LIMIT_SHORT[route.bindingLimit] : '–'}
                  </td>
                  <td className="num">
                    <Headroom route={route} />
                  </td>
                  <td className={`num${route.costPer1000Requests === null ? ' price-unknown' : ''}`}>{formatUsd(route.costPer1000Requests)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="cap-result-note muted">
        {answer.quotasFetchedAt ? `Quotas read ${new Date(answer.quotasFetchedAt).toLocaleString()}. ` : 'No quotas fetched yet. '}
        Reserved: input + cache write + max_tokens, held while a request runs; settled: input + cache write + output × burndown, what it finally counts. Cache reads do not count.
      </div>
      {answer.priceTable ? <PriceTableDate table={answer.priceTable} /> : <p className="muted price-date">No price table: costs are unknown.</p>}
    </div>
  );
}
