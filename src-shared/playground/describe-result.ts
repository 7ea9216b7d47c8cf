import type { ConverseInput, ConverseResult } from '../contract/playground';

/** How one answer is told, the same in the pane's footer and on the CLI's metrics line. */

const KIND_LABEL: Record<ConverseResult['route']['kind'], string> = {
  'on-demand': 'on demand',
  'geo-profile': 'geo profile',
  'global-profile': 'global profile',
};

export const routeKindLabel = (kind: ConverseResult['route']['kind']) => KIND_LABEL[kind];

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function formatSpeed(tokensPerSecond: number | null): string {
  return tokensPerSecond === null ? '–' : `${tokensPerSecond.toFixed(1)} tok/s`;
}

/** What was asked and what the response metadata says was served, where they differ (Bedrock does not say so). */
export function servedDifferences(asked: Pick<ConverseInput, 'latency' | 'serviceTier'>, result: ConverseResult): string[] {
  const differences: string[] = [];
  if (asked.latency && result.served.latency && asked.latency !== result.served.latency) {
    differences.push(`asked ${asked.latency} latency, served ${result.served.latency}`);
  }
  if (asked.latency && !result.served.latency) differences.push(`asked ${asked.latency} latency, the response did not say what was served`);
  if (asked.serviceTier && result.served.serviceTier && asked.serviceTier !== result.served.serviceTier) {
    differences.push(`asked the ${asked.serviceTier} tier, served ${result.served.serviceTier}`);
  }
  return differences;
}

/** One line: figures first, then how the call was made and what was served. */
export function metricsLine(asked: Pick<ConverseInput, 'latency' | 'serviceTier'>, result: ConverseResult): string {
  const { metrics, usage, route } = result;
  const tokens = usage
    ? `in ${usage.inputTokens} / out ${usage.outputTokens} tokens${usage.cacheReadInputTokens ? `, cache read ${usage.cacheReadInputTokens}` : ''}${usage.cacheWriteInputTokens ? `, cache write ${usage.cacheWriteInputTokens}` : ''}`
    : 'tokens unknown';
  const served = [result.served.latency ? `${result.served.latency} latency` : null, result.served.serviceTier ? `${result.served.serviceTier} tier` : null].filter(Boolean);
  const differences = servedDifferences(asked, result);
  return [
    result.api === 'Converse' ? 'Converse (no streaming)' : `TTFT ${formatMs(metrics.ttftMs)}`,
    `E2E ${formatMs(metrics.e2eMs)}`,
    formatSpeed(metrics.outputTokensPerSecond),
    tokens,
    `stop ${result.stopReason ?? '–'}`,
    `server ${formatMs(metrics.serverLatencyMs)}`,
    `${route.invokeId} from ${route.callRegion} (${KIND_LABEL[route.kind]}${route.autoRoutedFrom ? `, routed automatically from ${route.autoRoutedFrom}` : ''})`,
    ...(served.length > 0 ? [`served ${served.join(', ')}`] : []),
    ...differences.map((difference) => `NOTE ${difference}`),
  ].join(' · ');
}
