import type { LatencyEstimate } from '../../src-shared/contract/latency';
import { formatUsd } from '../capacity/format';
import { INLINE_BASIS_CHARS } from '../load/LoadEstimate';

/**
 * Before a run that costs enough to ask (requests, dollars, or a price not known): what it sends and costs, and why it
 * asks. A load run's requests are counted from its rates or an assumed request time: `basis` says how, and they are "about".
 */
export function Confirmation({ estimate, basis = null, onConfirm, onBack }: { estimate: LatencyEstimate; basis?: string | null; onConfirm(): void; onBack(): void }) {
  const requests = estimate.requests + estimate.warmupRequests;
  const dollars = estimate.estimatedCostUsd;
  return (
    <div className="lat-confirm" role="alertdialog" aria-labelledby="lat-confirm-text">
      <p id="lat-confirm-text">
        This run sends {basis ? 'about ' : ''}
        {requests} requests to AWS{basis && basis.length <= INLINE_BASIS_CHARS ? ` (${basis})` : ''} (about {estimate.inputTokens.toLocaleString()} input and up to {estimate.outputTokens.toLocaleString()} output tokens),{' '}
        {dollars === null ? 'at a price that is not known' : `up to about ${formatUsd(dollars)} at list prices${estimate.priceTable.asOf ? ` (${estimate.priceTable.asOf.slice(0, 10)})` : ''}`}. It costs money.
      </p>
      {estimate.confirmationReasons.length > 0 ? (
        <ul className="lat-confirm-reasons" data-testid="confirmation-reasons">
          {estimate.confirmationReasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="primary" onClick={onConfirm} autoFocus>
        Send {requests} requests{dollars === null ? '' : ` (~${formatUsd(dollars)})`}
      </button>
      <button type="button" onClick={onBack}>
        Back
      </button>
    </div>
  );
}
