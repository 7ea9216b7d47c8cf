import type { LatencyEstimate } from '../../src-shared/contract/latency';
import type { LoadEstimate } from '../../src-shared/contract/load';
import { EstimatedCost } from '../latency/EstimatedCost';
import { SLO_NAMES, sloBounds } from './load-figures';

/** A load run's estimate says how its requests were counted; a latency run's counts them exactly. */
export const isLoadEstimate = (estimate: LatencyEstimate | LoadEstimate): estimate is LoadEstimate => 'requestsBasis' in estimate;

/** "2 min 30 s", "45 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** How requests were counted fits in the line when it is this short; a longer one (a clause per route) folds under it. */
export const INLINE_BASIS_CHARS = 90;

/** What a load run sends before it sends anything: requests (and how they were counted), tokens, dollars, time. */
export function LoadEstimateLine({ estimate }: { estimate: LoadEstimate }) {
  const inline = estimate.requestsBasis.length <= INLINE_BASIS_CHARS;
  return (
    <>
      <p>
        about <strong>{estimate.requests.toLocaleString()}</strong> requests{inline ? <span className="muted"> ({estimate.requestsBasis})</span> : null} + {estimate.warmupRequests} warm-up · about{' '}
        <strong>{estimate.inputTokens.toLocaleString()}</strong> input and up to <strong>{estimate.outputTokens.toLocaleString()}</strong> output tokens · prompt {estimate.prompt.inputTokens} tokens
        {' · '}
        <EstimatedCost estimate={estimate} />
        {estimate.expectedDurationMs !== null ? <> · lasts about {formatDuration(estimate.expectedDurationMs)}</> : null}
        {' · '}
        <span data-testid="estimate-unique">{estimate.uniquePrompts ? 'unique prompts' : 'repeated prompts (the cache may answer them)'}</span>
        {' · '}
        {estimate.slo ? `SLO ${SLO_NAMES[estimate.slo.name]} (${sloBounds(estimate.slo)})` : 'no SLO'}
        {estimate.simulated ? <span className="lat-badge">simulated: no cost</span> : null}
      </p>
      {inline ? null : (
        <details className="load-basis">
          <summary>How the requests are counted</summary>
          <p className="muted">{estimate.requestsBasis}</p>
        </details>
      )}
    </>
  );
}
