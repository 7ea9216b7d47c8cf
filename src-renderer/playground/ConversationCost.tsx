import type { ConverseResult } from '../../src-shared/contract/playground';
import { formatUsd } from '../capacity/format';
import { totalCost, useAnswerCosts } from './answer-cost';
import type { Turn } from './pane-session';

/** The answers of a conversation that carry figures (a refused or failed turn has none, and cost nothing). */
export function answeredResults(turns: readonly Turn[]): ConverseResult[] {
  return turns.flatMap((turn) => (turn.role === 'assistant' && turn.result ? [turn.result] : []));
}

/** Under a pane's answers: what its conversation has cost so far, or "unknown" when a price is. */
export function ConversationCost({ turns }: { turns: readonly Turn[] }) {
  const results = answeredResults(turns);
  const { costs, table } = useAnswerCosts(results);
  if (results.length === 0) return null;
  const loading = costs.some((cost) => cost === undefined);
  const total = totalCost(costs.map((cost) => cost ?? null));
  const unknown = costs.filter((cost) => cost === null).length;
  return (
    <p className="pg-conversation-cost" data-testid="conversation-cost" title={table?.asOf ? `At the list prices of ${table.asOf.slice(0, 10)}` : undefined}>
      Conversation: {loading ? '…' : formatUsd(total)} over {results.length} answer{results.length === 1 ? '' : 's'}
      {!loading && unknown > 0 ? ` (${unknown} at an unknown price)` : ''}
    </p>
  );
}
