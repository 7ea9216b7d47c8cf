// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { QuotasAnswer } from '../../src-shared/contract';
import type { RegionProgress } from '../../src-shared/events';
import { fakeClient } from '../testing/fake-client';
import { HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { QuotasSection } from './QuotasSection';

afterEach(cleanup);

const answer = (fetchedAt: string, tpm: number): QuotasAnswer => ({
  fetchedAt,
  regions: {
    'us-east-1': {
      status: 'ok',
      fetchedAt,
      routes: [{ modelId: HAIKU_45, invokeId: HAIKU_45_US, routeKind: 'geo-profile', tokensPerMinute: { applied: tpm, default: 200_000, quotaCode: 'L-TPM', adjustable: true, quotaName: 'Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5' } }],
    },
  },
  unmatched: [],
  modelId: HAIKU_45,
});

const progress = (completed: number, phase: RegionProgress['phase'], region: string, waiting: string[]): RegionProgress => ({ scanId: 'q1', region, phase, completed, total: 3, waiting });

describe('QuotasSection', () => {
  it('lists each route from the region with its quotas; Refresh shows progress region by region, Cancel asks the host to stop, and the table follows the refresh', async () => {
    let version = 0;
    let finishRefresh!: (value: QuotasAnswer) => void;
    const { wrapper, calls, emit } = fakeClient({
      getQuotas: async () => (version === 0 ? answer('2026-11-23T00:00:00Z', 400_000) : answer('2026-11-24T00:00:00Z', 800_000)),
      refreshQuotas: () => new Promise<QuotasAnswer>((resolve) => (finishRefresh = resolve)),
      cancelQuotaRefresh: async () => ({ cancelled: true }),
    });
    render(<QuotasSection document={SMALL_CATALOG} modelId={HAIKU_45} from="us-east-1" />, { wrapper });
    const route = await screen.findByTestId('cap-quota-route');
    expect(route.textContent).toContain(HAIKU_45_US);
    expect(within(route).getByTestId('quota-table').querySelector('tr[data-unit="tokensPerMinute"]')?.textContent).toContain('400,000');

    const button = screen.getByRole('button', { name: 'Refresh quotas' });
    button.focus();
    fireEvent.click(button);
    await waitFor(() => expect(calls.some((call) => call.method === 'refreshQuotas')).toBe(true));
    act(() => {
      emit('quotas.progress', progress(0, 'started', 'us-east-1', ['us-east-1', 'us-west-2', 'eu-west-1']));
      emit('quotas.progress', progress(1, 'done', 'us-east-1', ['us-west-2', 'eu-west-1']));
      emit('quotas.progress', progress(2, 'failed', 'eu-west-1', ['us-west-2']));
    });
    expect(screen.getByTestId('quota-progress').textContent).toBe('2/3 regions · waiting for us-west-2 · 1 failed');
    // The same button, now Cancel: keyboard focus stays on it.
    expect(document.activeElement?.textContent).toBe('Cancel refresh');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel refresh' }));
    await waitFor(() => expect(calls.some((call) => call.method === 'cancelQuotaRefresh')).toBe(true));

    version = 1;
    await act(async () => finishRefresh(answer('2026-11-24T00:00:00Z', 800_000)));
    await waitFor(() => expect(screen.getByTestId('quota-table').querySelector('tr[data-unit="tokensPerMinute"]')?.textContent).toContain('800,000'));
    expect(screen.queryByTestId('quota-progress')).toBeNull();
    expect(calls.map((call) => call.method)).toEqual(['getQuotas', 'refreshQuotas', 'cancelQuotaRefresh', 'getQuotas']);
  });

  it('a route the catalog lists with no quota says "no quota found"; a failed region says why', async () => {
    const noQuota: QuotasAnswer = { fetchedAt: '2026-11-23T00:00:00Z', regions: { 'us-west-2': { status: 'ok', routes: [] } }, unmatched: [], modelId: HAIKU_45 };
    const first = fakeClient({ getQuotas: async () => noQuota });
    render(<QuotasSection document={SMALL_CATALOG} modelId={HAIKU_45} from="us-west-2" />, { wrapper: first.wrapper });
    expect((await screen.findByTestId('no-quota')).textContent).toBe('no quota found');
    cleanup();
    const failed: QuotasAnswer = { ...noQuota, regions: { 'us-west-2': { status: 'error', error: { code: 'TooManyRequestsException', message: 'Rate exceeded' }, routes: [] } } };
    const second = fakeClient({ getQuotas: async () => failed });
    render(<QuotasSection document={SMALL_CATALOG} modelId={HAIKU_45} from="us-west-2" />, { wrapper: second.wrapper });
    expect((await screen.findByTestId('quota-region-failed')).textContent).toMatch(/^⚠ Quotas could not be read in us-west-2: TooManyRequestsException — Rate exceeded/);
  });
});
