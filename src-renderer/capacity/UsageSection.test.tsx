// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteUsage, UsageAnswer, UsagePoint } from '../../src-shared/contract/usage';
import { fakeClient } from '../testing/fake-client';
import { HAIKU } from '../testing/small-catalog';
import { UsageSection } from './UsageSection';
import { gapCount, tokensAxisTicks, usageRows } from './usage-series';

afterEach(cleanup);

const point = (at: string, quotaTokens: number | null, throttles: number | null = 0): UsagePoint => ({
  at,
  invocations: quotaTokens === null ? null : 2,
  throttles,
  inputTokens: null,
  outputTokens: null,
  cacheReadTokens: null,
  cacheWriteTokens: null,
  latencyMs: null,
  ttftMs: null,
  estimatedQuotaTokens: quotaTokens,
  quotaTokens,
});

const base = (invokeId: string, routeKind: RouteUsage['routeKind'], status: RouteUsage['status'], extra: Partial<RouteUsage> = {}): RouteUsage => ({
  region: 'us-east-1',
  modelId: HAIKU,
  invokeId,
  routeKind,
  status,
  periodSeconds: 60,
  points: [],
  peak: { requestsPerMinute: null, tokensPerMinute: null },
  p99: { requestsPerMinute: null, tokensPerMinute: null },
  median: { requestsPerMinute: null, tokensPerMinute: null },
  quota: { requestsPerMinute: 2000, tokensPerMinute: 2_000_000 },
  headroomPercent: { requestsPerMinute: null, tokensPerMinute: null },
  throttles: 0,
  invocations: 0,
  quotaTokens: null,
  averageTokensPerRequest: null,
  burndownRate: 1,
  perHour: false,
  ...extra,
});

const used = base(HAIKU, 'on-demand', 'ok', {
  points: [point('2026-11-23T00:00:00Z', 1200), point('2026-11-23T00:01:00Z', null, null), point('2026-11-23T00:02:00Z', 1800_000, 3)],
  peak: { requestsPerMinute: 2, tokensPerMinute: 1_800_000 },
  p99: { requestsPerMinute: 2, tokensPerMinute: 1_790_000 },
  median: { requestsPerMinute: 2, tokensPerMinute: 1200 },
  headroomPercent: { requestsPerMinute: 99.9, tokensPerMinute: 10 },
  throttles: 3,
  invocations: 4,
  quotaTokens: 1_801_200,
});

const answer = (window: UsageAnswer['window']): UsageAnswer => ({
  modelId: HAIKU,
  window,
  from: '2026-11-23T00:00:00Z',
  to: '2026-11-23T00:03:00Z',
  routes: [
    used,
    base(`us.${HAIKU}`, 'geo-profile', 'no-invocations', { headroomPercent: { requestsPerMinute: 100, tokensPerMinute: 100 } }),
    base(`global.${HAIKU}`, 'global-profile', 'denied', { error: { code: 'AccessDenied', message: 'User is not authorized to perform: cloudwatch:GetMetricData' } }),
  ],
});

describe('UsageSection', () => {
  it('shows peak, p99 and median against the quota as headroom, throttles, and tells "no invocations" apart from "could not read"', async () => {
    const { wrapper, calls } = fakeClient({ getUsage: async (input) => answer(input.since ?? '24h') });
    render(<UsageSection target={HAIKU} from="us-east-1" />, { wrapper });
    const routes = await screen.findAllByTestId('usage-route');
    expect(routes.map((route) => route.getAttribute('data-status'))).toEqual(['ok', 'no-invocations', 'denied']);
    const figures = within(routes[0]!).getByTestId('usage-figures');
    expect(figures.querySelector('tbody tr')?.textContent).toBe('Quota tokens1,800,0001,790,0001,2002,000,00010 %');
    expect(routes[0]!.textContent).toContain('3 throttled');
    expect(within(routes[0]!).getByTestId('usage-chart').textContent).toContain('1 of 3 periods have no datapoint: drawn as gaps.');
    expect(within(routes[1]!).getByTestId('no-invocations').textContent).toMatch(/^No invocations in the window: CloudWatch answered/);
    expect(within(routes[1]!).queryByTestId('usage-unreadable')).toBeNull();
    const unreadable = within(routes[2]!).getByTestId('usage-unreadable');
    expect(unreadable.textContent).toMatch(/^⚠ Could not read: the caller lacks cloudwatch:GetMetricData in us-east-1\. AccessDenied — User is not authorized/);
    expect(calls).toEqual([{ method: 'getUsage', input: { target: HAIKU, since: '24h', regions: ['us-east-1'] } }]);

    fireEvent.click(screen.getByRole('radio', { name: '14d' }));
    await screen.findAllByTestId('usage-route');
    expect(calls.at(-1)).toEqual({ method: 'getUsage', input: { target: HAIKU, since: '14d', regions: ['us-east-1'] } });
  });

  it('the arrow keys move the window choice, as in a radio group', async () => {
    const { wrapper, calls } = fakeClient({ getUsage: async (input) => answer(input.since ?? '24h') });
    render(<UsageSection target={HAIKU} from="us-east-1" />, { wrapper });
    await screen.findAllByTestId('usage-route');
    const day = screen.getByRole('radio', { name: '24h' });
    fireEvent.keyDown(day, { key: 'ArrowRight' });
    expect(screen.getByRole('radio', { name: '14d' }).getAttribute('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: '14d' }));
    await screen.findAllByTestId('usage-route');
    expect(calls.map((call) => (call.input as { since: string }).since)).toEqual(['24h', '14d']);
  });
});

describe('usage series', () => {
  it('per minute, with a gap (null) for a period without a datapoint, never a zero; an hourly period is its average minute', () => {
    expect(usageRows(used).map((row) => row.tokensPerMinute)).toEqual([1200, null, 1_800_000]);
    expect(gapCount(usageRows(used))).toBe(1);
    const hourly = { ...used, periodSeconds: 3600, perHour: true };
    expect(usageRows(hourly)[0]?.tokensPerMinute).toBe(20);
  });

  it('the axis reaches past the quota in round steps, or past the use alone when asked', () => {
    const rows = usageRows(used);
    expect(tokensAxisTicks(rows, 8_000_000, 'quota')).toEqual([0, 2_000_000, 4_000_000, 6_000_000, 8_000_000, 10_000_000]);
    expect(tokensAxisTicks(rows, 8_000_000, 'usage')).toEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000]);
    expect(tokensAxisTicks([], null, 'quota')).toEqual([0, 1]);
  });
});
