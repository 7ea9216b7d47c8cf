import { describe, expect, it } from 'vitest';
import type { AtlasStreams, ConverseResult } from '../../src-shared/contract';
import { AtlasError } from '../../src-shared/envelope';
import { messagesFor, PaneSession } from './pane-session';

/** A stream under the test's control: chunks pushed by hand, then a result or an error. */
function fakeStreams() {
  const control = { push: (_text: string) => {}, finish: (_result: ConverseResult) => {}, fail: (_error: Error) => {}, cancels: 0, inputs: [] as unknown[], sent: '' };
  const streams = {
    converse: (input: unknown, onChunk: (chunk: { text: string }) => void) => {
      control.inputs.push(input);
      let reject!: (error: Error) => void;
      const result = new Promise<ConverseResult>((resolve, fail) => {
        control.finish = resolve;
        reject = fail;
      });
      control.sent = '';
      control.push = (text) => {
        control.sent += text;
        onChunk({ text });
      };
      control.fail = (error) => reject(error);
      return {
        result,
        // As the main process answers a cancel: the answer so far, marked cancelled.
        cancel: () => {
          control.cancels++;
          control.finish({ ...partial(control.sent), cancelled: true });
        },
      };
    },
  } as unknown as AtlasStreams;
  return { streams, control };
}

/** Flushes only when the test says a frame happened. */
function manualFrames() {
  const queued: (() => void)[] = [];
  return { schedule: (flush: () => void) => queued.push(flush), frame: () => queued.splice(0).forEach((flush) => flush()), queued };
}

const request = { target: 'm', region: 'us-east-1' };
const partial = (text: string) => ({ ...result(text), stopReason: null });
const result = (text: string) => ({ text, stopReason: 'end_turn', usage: null, metrics: { ttftMs: 1, e2eMs: 2, outputTokensPerSecond: null, serverLatencyMs: null }, route: { invokeId: 'm', callRegion: 'us-east-1', kind: 'on-demand' }, served: {}, api: 'ConverseStream' }) as ConverseResult;

describe('a pane’s session', () => {
  it('shows the first chunk of a frame at once, the rest at the frame’s end, and nothing is lost', async () => {
    const { streams, control } = fakeStreams();
    const frames = manualFrames();
    const session = new PaneSession(frames.schedule);
    let notified = 0;
    session.subscribe(() => notified++);
    const sent = session.send(streams, request, [{ text: 'hi' }]);
    const afterStart = notified;
    control.push('a');
    await Promise.resolve();
    expect(session.getSnapshot().streamingText).toBe('a');
    for (const token of ['b', 'c', 'd']) control.push(token);
    await Promise.resolve();
    expect(frames.queued).toHaveLength(1);
    expect(notified).toBe(afterStart + 1);
    frames.frame();
    expect(notified).toBe(afterStart + 2);
    expect(session.getSnapshot().streamingText).toBe('abcd');
    frames.frame();
    control.push('e');
    await Promise.resolve();
    expect(session.getSnapshot().streamingText).toBe('abcde');
    control.finish(result('abcde'));
    await sent;
    expect(session.getSnapshot()).toMatchObject({ status: 'done', turns: [{ role: 'user' }, { role: 'assistant', content: [{ text: 'abcde' }] }] });
  });

  it('cuts a long answer into stable pieces after a space, so a frame redraws only the tail', async () => {
    const { streams, control } = fakeStreams();
    const frames = manualFrames();
    const session = new PaneSession(frames.schedule);
    const sent = session.send(streams, request, [{ text: 'hi' }]);
    const words = Array.from({ length: 1200 }, (_, index) => `word${index} `);
    control.push(words.slice(0, 600).join(''));
    await Promise.resolve();
    const first = session.getSnapshot();
    expect(first.streamingPieces.length).toBeGreaterThan(0);
    expect(first.streamingPieces.every((piece) => piece.length >= 2048 && piece.endsWith(' '))).toBe(true);
    frames.frame();
    control.push(words.slice(600).join(''));
    await Promise.resolve();
    const second = session.getSnapshot();
    expect(second.streamingPieces.slice(0, first.streamingPieces.length)).toEqual(first.streamingPieces);
    expect(second.streamingPieces.join('') + second.streamingTail).toBe(words.join(''));
    expect(second.streamingTail.length).toBeLessThanOrEqual(2048 + 12);
    control.finish(result(words.join('')));
    await sent;
    expect(session.getSnapshot()).toMatchObject({ streamingPieces: [], streamingTail: '' });
  });

  it('cancel ends the answer with the text and figures so far, noted as cancelled; a second cancel is harmless', async () => {
    const { streams, control } = fakeStreams();
    const frames = manualFrames();
    const session = new PaneSession(frames.schedule);
    const sent = session.send(streams, request, [{ text: 'hi' }]);
    control.push('partial ');
    control.push('text');
    session.cancel();
    session.cancel();
    await sent;
    session.cancel();
    const last = session.getSnapshot().turns.at(-1)!;
    expect(session.getSnapshot().status).toBe('cancelled');
    expect(last.content).toEqual([{ text: 'partial text' }]);
    expect(last.result).toMatchObject({ cancelled: true, text: 'partial text' });
    expect(last.error).toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/aborted upstream/) });
  });

  it('loading another conversation while an answer streams cancels it upstream, and its end never comes back', async () => {
    const { streams, control } = fakeStreams();
    const session = new PaneSession(manualFrames().schedule);
    const sent = session.send(streams, request, [{ text: 'hi' }]);
    control.push('old ');
    session.load([{ role: 'user', content: [{ text: 'saved' }] }]);
    expect(control.cancels).toBe(1);
    await sent;
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', turns: [{ role: 'user', content: [{ text: 'saved' }] }] });
    expect(session.getSnapshot().turns).toHaveLength(1);
  });

  it('the snapshot is the same object while nothing changed (what useSyncExternalStore needs)', async () => {
    const { streams, control } = fakeStreams();
    const session = new PaneSession(manualFrames().schedule);
    expect(session.getSnapshot()).toBe(session.getSnapshot());
    const sent = session.send(streams, request, [{ text: 'hi' }]);
    control.push('a');
    await Promise.resolve();
    expect(session.getSnapshot()).toBe(session.getSnapshot());
    control.finish(result('a'));
    await sent;
    expect(session.getSnapshot()).toBe(session.getSnapshot());
  });

  it('a failure mid-stream keeps the text and the named error', async () => {
    const { streams, control } = fakeStreams();
    const session = new PaneSession(manualFrames().schedule);
    const sent = session.send(streams, request, [{ text: 'hi' }]);
    control.push('some ');
    control.fail(new AtlasError({ name: 'ThrottlingException', code: 'THROTTLED', message: 'Bedrock throttled it' }));
    await sent;
    expect(session.getSnapshot().turns.at(-1)).toMatchObject({ content: [{ text: 'some ' }], error: { name: 'ThrottlingException', code: 'THROTTLED' } });
  });

  it('sends the whole conversation, leaving out exchanges whose answer never came', async () => {
    const { streams, control } = fakeStreams();
    const session = new PaneSession(manualFrames().schedule);
    session.load([
      { role: 'user', content: [{ text: 'one' }] },
      { role: 'assistant', content: [{ text: 'first answer' }] },
      { role: 'user', content: [{ text: 'two' }] },
      { role: 'assistant', content: [{ text: '' }], error: { name: 'X', message: 'failed before any text' } },
    ]);
    const sent = session.send(streams, request, [{ text: 'three' }]);
    control.finish(result('ok'));
    await sent;
    expect((control.inputs[0] as { messages: unknown }).messages).toEqual([
      { role: 'user', content: [{ text: 'one' }] },
      { role: 'assistant', content: [{ text: 'first answer' }] },
      { role: 'user', content: [{ text: 'three' }] },
    ]);
    expect(messagesFor([])).toEqual([]);
  });
});
