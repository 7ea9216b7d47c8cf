// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConverseResult, PricesAnswer } from '../../src-shared/contract';
import { fakeClient } from '../testing/fake-client';
import { HAIKU } from '../testing/small-catalog';
import { PaneSession } from './pane-session';
import { SummaryRow } from './SummaryRow';

afterEach(cleanup);

describe('SummaryRow (issue 21 §6: one error, shown once in full)', () => {
  it('names the failed pane and refers to it, without repeating the message the pane shows in full', async () => {
    const ok = new PaneSession((flush) => queueMicrotask(flush));
    const failed = new PaneSession((flush) => queueMicrotask(flush));
    const message = 'us-east-1 did not accept the request: you do not have access to the model with the specified model ID.';
    await act(async () => {
      failed.refuse([{ text: 'hi' }], { name: 'AccessDeniedException', code: 'ACCESS_DENIED', message });
    });
    render(<SummaryRow sessions={[ok, failed]} />, { wrapper: fakeClient().wrapper });
    const failures = screen.getByRole('alert');
    expect(failures.textContent).toBe('Failed: Pane 2 (AccessDeniedException) — the pane says why.');
    expect(screen.getByTestId('summary').textContent).not.toContain('did not accept');
  });

  it('adds up what each pane’s conversation cost and all panes together; a pane at an unknown price makes the total unknown', async () => {
    const priced = new PaneSession((flush) => queueMicrotask(flush));
    const unpriced = new PaneSession((flush) => queueMicrotask(flush));
    const answer = (invokeId: string): ConverseResult => ({
      text: 'Hi',
      stopReason: 'end_turn',
      usage: { inputTokens: 2_000_000, outputTokens: 0, totalTokens: 2_000_000 },
      metrics: { ttftMs: 40, e2eMs: 90, outputTokensPerSecond: null, serverLatencyMs: null },
      route: { invokeId, callRegion: 'us-east-1', kind: invokeId.startsWith('global.') ? 'global-profile' : 'on-demand' },
      served: {},
      api: 'ConverseStream',
    });
    const reply = (result: ConverseResult) => fakeClient({}, { converse: () => ({ result: Promise.resolve(result), cancel: () => {} }) }).client.streams;
    await act(async () => {
      await priced.send(reply(answer(HAIKU)), { target: HAIKU, region: 'us-east-1' }, [{ text: 'one' }]);
      await priced.send(reply(answer(HAIKU)), { target: HAIKU, region: 'us-east-1' }, [{ text: 'two' }]);
      await unpriced.send(reply(answer(`global.${HAIKU}`)), { target: HAIKU, region: 'us-east-1' }, [{ text: 'one' }]);
    });
    const prices: PricesAnswer = {
      table: { asOf: '2026-11-01T00:00:00Z', fetchedAt: null, source: 'bundled', origin: null, products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } },
      prices: [{ modelId: HAIKU, region: 'us-east-1', routeKind: 'in-region', tier: 'standard', perMillion: { input: 0.25, output: 1.25, cacheRead: null, cacheWrite: null }, serviceCode: 'AmazonBedrock', skus: [] }],
      unused: [],
      modelId: HAIKU,
    };
    render(<SummaryRow sessions={[priced, unpriced]} />, { wrapper: fakeClient({ getPrices: async () => prices }).wrapper });
    await waitFor(() => expect(screen.getByTestId('summary-cost').textContent).toBe('Cost: P1 $1.00 · P2 unknown · all panes unknown'));
  });
});
