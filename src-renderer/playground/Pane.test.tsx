// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AtlasStreams, ConverseInput, ConverseResult } from '../../src-shared/contract';
import { HAIKU, HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { Pane } from './Pane';
import { newPaneConfig, type PaneConfig } from './pane-config';
import { PaneSession } from './pane-session';

/**
 * The pane against a fake of the renderer's typed client: `streams.converse` is under the test's control (chunks
 * pushed by hand; a cancel answered as the main process answers it, with the text so far marked cancelled).
 */

afterEach(cleanup);

function fakeClient() {
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

function renderPane(config: PaneConfig, session = new PaneSession(immediate), onChange = vi.fn()) {
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
  );
  return { session, onChange, pane: screen.getByTestId('pane-1') };
}

describe('Pane', () => {
  it('shows the answer as it streams, and Cancel ends it with the text and figures so far, marked cancelled', async () => {
    const { streams, firstCall } = fakeClient();
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
    const { streams, firstCall } = fakeClient();
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
});
