import type { ConverseFailure, ConverseResult, LatencyMode, ServiceTier } from '../../src-shared/contract';
import { formatMs, formatSpeed, routeKindLabel, servedDifferences } from '../../src-shared/playground/describe-result';
import { formatUsd } from '../capacity/format';
import { priceTierOf, useAnswerCosts } from './answer-cost';
import { ServedRegion } from './ServedRegion';

/** The figures under one answer: what the latency lab measures, how the call was made, and what was served. */
export function ResponseFooter({ result, asked }: { result: ConverseResult; asked: { latency?: LatencyMode; serviceTier?: ServiceTier } }) {
  const { metrics, usage, route, served } = result;
  const differences = servedDifferences(asked, result);
  const {
    costs: [cost],
    table,
  } = useAnswerCosts([result]);
  const priced = table?.asOf ? ` at the list prices of ${table.asOf.slice(0, 10)}` : '';
  // Bedrock reports the latency mode and tier only when they were asked for: nothing asked, nothing to show.
  const reported = [served.latency ? `${served.latency} latency` : null, served.serviceTier ? `${served.serviceTier} tier` : null].filter((text) => text !== null);
  const figures: [string, string, string][] = [
    ['TTFT', result.api === 'Converse' ? 'n/a' : formatMs(metrics.ttftMs), 'Time to first token: request sent → first text delta'],
    ['E2E', formatMs(metrics.e2eMs), 'Request sent → last text delta (or messageStop)'],
    ['Speed', formatSpeed(metrics.outputTokensPerSecond), 'Output tokens per second after the first token (excludes TTFT)'],
    ['Tokens', usage ? `${usage.inputTokens} in / ${usage.outputTokens} out` : '–', "Bedrock's own usage counts"],
    ...(usage?.cacheReadInputTokens ? [['Cache read', String(usage.cacheReadInputTokens), 'Input tokens read from the prompt cache'] as [string, string, string]] : []),
    ...(usage?.cacheWriteInputTokens ? [['Cache write', String(usage.cacheWriteInputTokens), 'Input tokens written to the prompt cache'] as [string, string, string]] : []),
    [
      'Cost',
      cost === undefined ? '…' : formatUsd(cost),
      cost === null
        ? usage
          ? `Unknown: the price list has no ${priceTierOf(result)} price for this route (${routeKindLabel(route.kind)} from ${route.callRegion})`
          : 'Unknown: Bedrock reported no token usage'
        : `Bedrock's token counts${priced}, ${priceTierOf(result)} tier, ${routeKindLabel(route.kind)} from ${route.callRegion}`,
    ],
    ['Stop', result.stopReason ?? '–', 'Why the model stopped'],
    ['Server', formatMs(metrics.serverLatencyMs), "Bedrock's metrics.latencyMs"],
  ];
  return (
    <div className="pg-footer" data-testid="response-footer">
      <dl className="pg-figures">
        {figures.map(([label, value, title]) => (
          <div key={label} title={title} data-figure={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="pg-footer-route">
        {route.invokeId} · {route.callRegion} · {routeKindLabel(route.kind)}
        {result.api === 'Converse' ? ' · Converse (the model does not stream)' : ''}
        {route.autoRoutedFrom ? <span className="pg-note"> · routed automatically from {route.autoRoutedFrom}</span> : null}
        <ServedRegion result={result} />
      </p>
      {reported.length > 0 || differences.length > 0 ? (
        <p className="pg-served" data-testid="served">
          Served: {reported.length > 0 ? reported.join(', ') : 'not reported'}
          {differences.map((difference) => (
            <span key={difference} className="pg-differs" role="status">
              {' '}
              ⚠ {difference}
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}

export function FailureNote({ error }: { error: ConverseFailure }) {
  const cancelled = error.code === 'CANCELLED';
  return (
    <p className={cancelled ? 'pg-cancelled' : 'pg-error'} role={cancelled ? 'status' : 'alert'}>
      {cancelled ? '' : <strong>{error.name}: </strong>}
      {error.message}
    </p>
  );
}
