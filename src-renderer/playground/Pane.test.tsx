// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AtlasStreams, ConverseInput, ConverseResult, PricesAnswer, RoutePrice } from '../../src-shared/contract';
import { fakeClient as fakeAtlas } from '../testing/fake-client';
import { HAIKU, HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { Pane } from './Pane';
import { newPaneConfig, type PaneConfig } from './pane-config';
import { PaneSession } from './pane-session';

/**
 * The pane against a fake of the renderer's typed client: `streams.converse` is under the test's control (chunks
 * pushed by hand; a cancel answered as the main process answers it, with the text so far marked cancelled).
 */

afterEach(cleanup);

function fakeStreams() {
  const calls: { input: ConverseInput; push(text: string): void; finish(result: ConverseResult): void; cancels: number }[] = [];
  const streams = {
    converse: (input: ConverseInput, onChunk: (chunk: { text: string }) => void) => {
      let sent = '';
      let finish!: (result: ConverseResult) => void;
      const result = new Promise<ConverseResult>((resolve) => (finish = resolve));
      const call = { input, push: (text: string) => ((sent += text), onChunk({ text })), finish, cancels: 0 };
      calls.push(call);
      return { result, cancel: () => (call.cancels++, finish({ ...answer(sent), stopReason: null, cancelled: true })) };
    },
  } as unknown as AtlasStreams;
  /** The first converse call: the test fails here, by name, if the pane made none. */
  const firstCall = () => {
    const [call] = calls;
    if (!call) throw new Error('The pane made no converse call');
    return call;
  };
  return { streams, firstCall };
}

const answer = (text: string): ConverseResult => ({
  text,
  stopReason: 'end_turn',
  usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 },
  metrics: { ttftMs: 40, e2eMs: 90, outputTokensPerSecond: 40, serverLatencyMs: 80 },
  route: { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' },
  served: {},
  api: 'ConverseStream',
});

/** Frames flush at once: what happens within a frame is the session's own test. */
const immediate = (flush: () => void) => queueMicrotask(flush);

/** Haiku's standard on-demand price in us-east-1, the only price the pane's prices answer knows. */
const HAIKU_PRICE: RoutePrice = { modelId: HAIKU, region: 'us-east-1', routeKind: 'in-region', tier: 'standard', perMillion: { input: 0.25, output: 1.25, cacheRead: null, cacheWrite: null }, serviceCode: 'AmazonBedrock', skus: ['SKU'] };
const PRICES: PricesAnswer = {
  table: { asOf: '2026-11-01T00:00:00Z', fetchedAt: '2026-11-02T00:00:00Z', source: 'bundled', origin: 'recorded', products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } },
  prices: [HAIKU_PRICE],
  unused: [],
  modelId: HAIKU,
};

function renderPane(config: PaneConfig, session = new PaneSession(immediate), onChange = vi.fn()) {
  const { wrapper } = fakeAtlas({ getPrices: async () => PRICES });
  render(
    <Pane
      index={0}
      config={config}
      session={session}
      document={SMALL_CATALOG}
      regions={Object.keys(SMALL_CATALOG.regions)}
      autoRoute={false}
      tokenCount={null}
      canRemove={false}
      onChange={onChange}
      onRemove={() => {}}
      onCopyAsCode={() => {}}
    />,
    { wrapper },
  );
  return { session, onChange, pane: screen.getByTestId('pane-1') };
}

describe('Pane', () => {
  it('shows the answer as it streams, and Cancel ends it with the text and figures so far, marked cancelled', async () => {
    const { streams, firstCall } = fakeStreams();
    const { session, pane } = renderPane(newPaneConfig(HAIKU, 'us-east-1'));
    let sent!: Promise<void>;
    await act(async () => {
      sent = session.send(streams, { target: HAIKU, region: 'us-east-1' }, [{ text: 'A story' }]);
      firstCall().push('Once upon ');
      firstCall().push('a time');
    });
    expect(within(pane).getByTestId('streaming-answer').textContent).toBe('Once upon a time');
    expect(within(pane).getByText('streaming')).toBeTruthy();

    await act(async () => {
      fireEvent.click(within(pane).getByRole('button', { name: 'Cancel' }));
      await sent;
    });
    expect(firstCall().cancels).toBe(1);
    expect(within(pane).queryByTestId('streaming-answer')).toBeNull();
    expect(within(pane).queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(within(pane).getByTestId('answer').textContent).toBe('Once upon a time');
    expect(within(pane).getByTestId('response-footer').textContent).toMatch(/TTFT\s*40 ms/);
    expect(within(pane).getByRole('status').textContent).toMatch(/^Cancelled: the request was aborted upstream/);
    expect(within(pane).getByText('cancelled')).toBeTruthy();
  });

  it('sends the conversation so far with the new prompt, and shows the figures of a finished answer', async () => {
    const { streams, firstCall } = fakeStreams();
    const { session, pane } = renderPane(newPaneConfig(HAIKU, 'us-east-1'));
    await act(async () => {
      const sent = session.send(streams, { target: HAIKU, region: 'us-east-1' }, [{ text: 'Hi' }]);
      firstCall().push('Hello');
      firstCall().finish(answer('Hello'));
      await sent;
    });
    expect(firstCall().input.messages).toEqual([{ role: 'user', content: [{ text: 'Hi' }] }]);
    expect(within(pane).getByTestId('response-footer').textContent).toMatch(/Tokens\s*9 in \/ 3 out/);
    expect(within(pane).getByText('done')).toBeTruthy();
  });

  it('the target field shows the model’s name over its id, and keeps the id as its value and on hover (issue 21 §6)', () => {
    const { pane } = renderPane(newPaneConfig(HAIKU, 'us-east-1'));
    const field = within(pane).getByLabelText('Pane 1 model or profile') as HTMLInputElement;
    expect(field.value).toBe(HAIKU);
    expect(field.title).toBe(HAIKU);
    expect(within(pane).getByTestId('target-name').textContent).toBe('Claude 3 Haiku');
    cleanup();
    // A profile shows its own name; text that names no exact id shows as typed, with nothing over it.
    expect(within(renderPane(newPaneConfig(HAIKU_45_US, 'us-east-1')).pane).getByTestId('target-name').textContent).toBe('US Claude Haiku 4.5');
    cleanup();
    expect(within(renderPane(newPaneConfig('claude hai', 'us-east-1')).pane).queryByTestId('target-name')).toBeNull();
  });

  it('a bare id served here only through a profile is caught before sending, and one click uses the profile', () => {
    const { onChange, pane } = renderPane(newPaneConfig(HAIKU_45, 'us-east-1'));
    const plan = within(pane).getByTestId('route-plan');
    expect(plan.textContent).toContain('only through inference profiles');
    fireEvent.click(within(plan).getByRole('button', { name: `Use ${HAIKU_45_US}` }));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0]?.[0]).toMatchObject({ target: HAIKU_45_US, region: 'us-east-1' });
  });

  it('each answer shows its cost at its route’s price, and the conversation its total; an unknown price says "unknown", never $0', async () => {
    const { streams, firstCall } = fakeStreams();
    const { session, pane } = renderPane(newPaneConfig(HAIKU, 'us-east-1'));
    await act(async () => {
      const sent = session.send(streams, { target: HAIKU, region: 'us-east-1' }, [{ text: 'Hi' }]);
      // 1,000 input and 2,000 output tokens at $0.25 and $1.25 per million: $0.00025 + $0.0025.
      firstCall().finish({ ...answer('Hello'), usage: { inputTokens: 1000, outputTokens: 2000, totalTokens: 3000 } });
      await sent;
    });
    await waitFor(() => expect(within(pane).getByTestId('response-footer').querySelector('[data-figure="Cost"]')?.textContent).toBe('Cost$0.00275'));
    expect(within(pane).getByTestId('conversation-cost').textContent).toBe('Conversation: $0.00275 over 1 answer');

    // A second answer through the global profile, which the price list does not price: that answer and the total are unknown.
    const { streams: second, firstCall: secondCall } = fakeStreams();
    await act(async () => {
      const sent = session.send(second, { target: HAIKU, region: 'us-east-1' }, [{ text: 'Again' }]);
      secondCall().finish({ ...answer('Hello again'), route: { invokeId: `global.${HAIKU}`, callRegion: 'us-east-1', kind: 'global-profile' } });
      await sent;
    });
    await waitFor(() => expect(within(pane).getByTestId('conversation-cost').textContent).toBe('Conversation: unknown over 2 answers (1 at an unknown price)'));
    const costs = within(pane).getAllByTestId('response-footer').map((footer) => footer.querySelector('[data-figure="Cost"]')?.textContent);
    expect(costs).toEqual(['Cost$0.00275', 'Costunknown']);
    expect(pane.textContent).not.toContain('$0 ');
  });
});
