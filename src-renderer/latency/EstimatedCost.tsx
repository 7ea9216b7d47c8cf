import type { LatencyEstimate } from '../../src-shared/contract/latency';
import { formatUsd } from '../capacity/format';

/** "estimated $0.0123" at list prices with the output at max tokens (an upper bound), or which price is unknown. */
export function EstimatedCost({ estimate }: { estimate: LatencyEstimate }) {
  const date = estimate.priceTable.asOf ? ` at the list prices of ${estimate.priceTable.asOf.slice(0, 10)}` : '';
  if (estimate.estimatedCostUsd === null) {
    const unknown = Object.entries(estimate.routeCosts).flatMap(([key, cost]) => (cost.usd === null ? [`${key}: ${cost.unknown ?? 'no price'}`] : []));
    return (
      <span className="lat-warn-text" data-testid="estimated-cost" title={unknown.join('\n')}>
        <strong>unknown price</strong>
        {unknown.length > 0 ? ` (${unknown.length === 1 ? unknown[0] : `${unknown.length} routes`})` : ''}
      </span>
    );
  }
  return (
    <span data-testid="estimated-cost" title={`Every request with the prompt in and max tokens out, warm-ups included${date}: an upper bound`}>
      estimated <strong>{formatUsd(estimate.estimatedCostUsd)}</strong> at most
    </span>
  );
}
