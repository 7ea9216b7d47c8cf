import { formatMs, formatSpeed } from '../../src-shared/playground/describe-result';
import { formatUsd } from '../capacity/format';
import { totalCost, useAnswerCosts } from './answer-cost';
import { answeredResults } from './ConversationCost';
import type { PaneSession } from './pane-session';
import { useSessions } from './use-sessions';

/** The last answer of every pane side by side: fastest TTFT, fastest output speed, tokens, and what failed and why. */
export function SummaryRow({ sessions }: { sessions: PaneSession[] }) {
  const snapshots = useSessions(sessions);
  // Every answer of every pane, priced once; each pane's share is its slice.
  const perPane = snapshots.map((snapshot) => answeredResults(snapshot.turns));
  const { costs } = useAnswerCosts(perPane.flat());
  const last = snapshots.map((snapshot) => (snapshot.status === 'streaming' ? null : snapshot.turns.findLast((turn) => turn.role === 'assistant') ?? null));
  if (last.every((turn) => turn === null)) return null;
  const ttfts = last.map((turn) => turn?.result?.metrics.ttftMs ?? null);
  const speeds = last.map((turn) => turn?.result?.metrics.outputTokensPerSecond ?? null);
  const best = (values: (number | null)[], better: (a: number, b: number) => boolean) =>
    values.reduce<number | null>((found, value, index) => (value !== null && (found === null || better(value, values[found]!)) ? index : found), null);
  const fastestTtft = best(ttfts, (a, b) => a < b);
  const fastestSpeed = best(speeds, (a, b) => a > b);
  // The pane shows the whole message once; here the summary names the failed panes and refers to them.
  const failures = last.flatMap((turn, index) => (turn?.error && turn.error.code !== 'CANCELLED' ? [`Pane ${index + 1} (${turn.error.name})`] : []));
  const waiting = snapshots.filter((snapshot) => snapshot.status === 'streaming').length;
  return (
    <section className="pg-summary" aria-label="Comparison summary" data-testid="summary">
      {waiting > 0 ? (
        <p className="pg-summary-waiting">
          Still streaming: {waiting} pane{waiting === 1 ? '' : 's'} (the figures below are the finished ones)
        </p>
      ) : null}
      <p>
        <strong>Fastest TTFT:</strong> {fastestTtft === null ? '–' : `Pane ${fastestTtft + 1} (${formatMs(ttfts[fastestTtft] ?? null)})`}
      </p>
      <p>
        <strong>Fastest output:</strong> {fastestSpeed === null ? '–' : `Pane ${fastestSpeed + 1} (${formatSpeed(speeds[fastestSpeed] ?? null)})`}
      </p>
      <p>
        <strong>Tokens:</strong>{' '}
        {last
          .map((turn, index) => `P${index + 1} ${turn?.result?.usage ? `${turn.result.usage.inputTokens}→${turn.result.usage.outputTokens}` : '–'}`)
          .join(' · ')}
      </p>
      <CostLine perPane={perPane.map((results) => results.length)} costs={costs} />
      {failures.length > 0 ? (
        <p className="pg-summary-failures" role="alert">
          <strong>Failed:</strong> {failures.join(', ')} — {failures.length === 1 ? 'the pane says why' : 'each pane says why'}.
        </p>
      ) : null}
    </section>
  );
}

/** "Cost: P1 $0.0012 · P2 unknown · all panes unknown": each pane's conversation so far, and their total. */
function CostLine({ perPane, costs }: { perPane: number[]; costs: (number | null | undefined)[] }) {
  if (costs.some((cost) => cost === undefined)) return null;
  const known = costs.map((cost) => cost ?? null);
  const starts = perPane.map((_, index) => perPane.slice(0, index).reduce((sum, count) => sum + count, 0));
  const panes = perPane.map((count, index) => `P${index + 1} ${count === 0 ? '–' : formatUsd(totalCost(known.slice(starts[index], (starts[index] ?? 0) + count)))}`);
  return (
    <p data-testid="summary-cost">
      <strong>Cost:</strong> {panes.join(' · ')} · all panes {formatUsd(totalCost(known))}
    </p>
  );
}
