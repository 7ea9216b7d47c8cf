import { describe, expect, it } from 'vitest';
import type { QuotaValue } from '../catalog/quotas';
import type { CapacityAnswer, CapacityRoute, CurrentUsage } from '../contract/capacity';
import { quotaIncreaseWorksheet, SUPPORT_CASE_URL } from './worksheet';

/** The quota increase worksheet: its figures' sources, the quota it asks to raise and by how much, and its text. */

const tpm: QuotaValue = { applied: 200_000, default: 200_000, quotaCode: 'L-59759B4A', adjustable: true, quotaName: 'Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4 V1' };
const none = { requestsPerMinute: null, tokensPerMinute: null };
const noInvocations: CurrentUsage = { status: 'no-invocations', peak: none, median: none, quotaTokensLast24h: null, averageTokensPerRequest: null };

const route = (extra: Partial<CapacityRoute> = {}): CapacityRoute => ({
  invokeId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
  routeKind: 'geo-profile',
  reservedTokensPerRequest: 3000,
  settledTokensPerRequest: 2500,
  burndownRate: 5,
  maxRequestsPerMinute: 80,
  maxInFlightByReservation: 66,
  bindingLimit: 'tokens-per-minute',
  headroomPercent: -25,
  headroomLimit: 'tokens-per-minute',
  tokensPerMinuteAtTarget: 250_000,
  quotas: { tokensPerMinute: tpm },
  currentPeak: { requestsPerMinute: 0, tokensPerMinute: 0 },
  usage: noInvocations,
  costPer1000Requests: null,
  ...extra,
});

const answer = (routes: CapacityRoute[]): CapacityAnswer => ({
  modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
  from: 'us-east-1',
  targetRequestsPerMinute: 100,
  workload: { inputTokens: 1000, outputTokens: 300, outputFrom: 'expected', maxTokens: 2000, cacheReadTokens: 0, cacheWriteTokens: 0 },
  burndown: { rate: 5, source: 'https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html', asOf: '2026-03-12', matchedEntry: 'anthropic.claude-sonnet-4' },
  modelLimits: null,
  routes,
  quotasFetchedAt: '2026-05-04T12:00:00.000Z',
  quotasError: null,
  priceTable: null,
});

describe('the quota increase worksheet', () => {
  it('without usage, fills every figure from the calculator and asks for what carries the target', () => {
    const only = route();
    const sheet = quotaIncreaseWorksheet(answer([only]), only, 'Customer support assistant');
    expect(sheet.quota).toEqual({ limit: 'tokens-per-minute', quotaCode: 'L-59759B4A', quotaName: tpm.quotaName, current: 200_000, adjustable: true, requested: 250_000 });
    expect(sheet.consoleUrl).toBe('https://us-east-1.console.aws.amazon.com/servicequotas/home/services/bedrock/quotas/L-59759B4A');
    expect([sheet.steadyRequestsPerMinute, sheet.peakRequestsPerMinute, sheet.steadyTokensPerMinute, sheet.peakTokensPerMinute, sheet.averageInputTokens, sheet.averageOutputTokens]).toEqual([
      { value: 100, source: 'calculator' },
      { value: 100, source: 'calculator' },
      { value: 250_000, source: 'calculator' },
      { value: 250_000, source: 'calculator' },
      { value: 1000, source: 'calculator' },
      { value: 300, source: 'calculator' },
    ]);
    expect(sheet.text.split('\n')).toEqual([
      'Quota increase request: Amazon Bedrock, us-east-1',
      'Route: us.anthropic.claude-sonnet-4-20250514-v1:0 (geographic cross-Region profile), model anthropic.claude-sonnet-4-20250514-v1:0',
      'Quota: Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4 V1 (L-59759B4A), tokens per minute',
      'Current value: 200,000; adjustable in Service Quotas: yes',
      'Requested value: 250,000 (100 more requests per minute)',
      'Steady requests per minute: 100 (the planned workload)',
      'Peak requests per minute: 100 (the planned workload)',
      'Steady tokens per minute (quota tokens: input + cache write + output x 5): 250,000 (the planned workload)',
      'Peak tokens per minute (quota tokens: input + cache write + output x 5): 250,000 (the planned workload)',
      'Average input tokens per request: 1,000 (the planned workload)',
      'Average output tokens per request: 300 (the planned workload)',
      'Use case: Customer support assistant',
      'Request it at: https://us-east-1.console.aws.amazon.com/servicequotas/home/services/bedrock/quotas/L-59759B4A',
    ]);
  });

  it('with usage, fills the figures from CloudWatch and asks for the target on top of the current peak', () => {
    const usage: CurrentUsage = {
      status: 'ok',
      peak: { requestsPerMinute: 40, tokensPerMinute: 90_000 },
      median: { requestsPerMinute: 25, tokensPerMinute: 60_000 },
      quotaTokensLast24h: 50_000_000,
      averageTokensPerRequest: { input: 1800, output: 210, cacheRead: 0, cacheWrite: 0 },
    };
    const busy = route({ usage, currentPeak: { requestsPerMinute: 40, tokensPerMinute: 90_000 } });
    const sheet = quotaIncreaseWorksheet(answer([busy]), busy);
    expect(sheet.quota?.requested).toBe(250_000 + 90_000);
    expect(sheet.text).toContain('Requested value: 340,000 (100 more requests per minute on top of the current peak)');
    expect(sheet.steadyRequestsPerMinute).toEqual({ value: 25, source: 'cloudwatch' });
    expect(sheet.peakTokensPerMinute).toEqual({ value: 90_000, source: 'cloudwatch' });
    expect(sheet.averageInputTokens).toEqual({ value: 1800, source: 'cloudwatch' });
    expect(sheet.text).toContain('Peak requests per minute: 40 (CloudWatch, the peak minute of the last 24 hours)');
    expect(sheet.text).toContain('Use case: (describe the application');
  });

  it('says no increase is needed when the current value carries the target', () => {
    const roomy = route({ quotas: { tokensPerMinute: { ...tpm, applied: 1_000_000 } }, headroomPercent: 75 });
    const sheet = quotaIncreaseWorksheet(answer([roomy]), roomy);
    expect(sheet.quota?.requested).toBeNull();
    expect(sheet.text).toContain('Requested value: none needed, the current value carries 100 more requests per minute');
  });

  it('points a quota Service Quotas will not raise to a support case', () => {
    const fixed = route({ quotas: { tokensPerMinute: { ...tpm, adjustable: false } } });
    const sheet = quotaIncreaseWorksheet(answer([fixed]), fixed);
    expect(sheet.text).toContain(`Service Quotas does not accept increases of this quota: open a support case at ${SUPPORT_CASE_URL}`);
  });

  it('a route with no quota found has no quota, no link, and says so', () => {
    const bare = route({ quotas: {}, bindingLimit: null, headroomLimit: null, maxRequestsPerMinute: null });
    const sheet = quotaIncreaseWorksheet(answer([bare]), bare);
    expect(sheet.quota).toBeNull();
    expect(sheet.consoleUrl).toBeNull();
    expect(sheet.text).toContain('Quota: no quota found for this route in us-east-1');
  });
});
