import { describe, expect, it } from 'vitest';
import type { StreamCall } from '../../src-shared/contract';
import { AtlasError } from '../../src-shared/envelope';
import { keyedFold, LiveStream, textFold } from './live-stream';

interface Row {
  key: string;
  done: number;
}
interface Report {
  status: 'completed' | 'cancelled';
  done: number;
}

/**
 * A stream under the test's control (chunks pushed by hand; a cancel that ends it with a partial result, or with
 * StreamCancelled, as the main process would), and a scheduler that flushes only when the test says a frame passed.
 */
function harness(onCancel: 'partial result' | 'nothing to show' = 'partial result') {
  const frames: (() => void)[] = [];
  const live = new LiveStream<Row, Report, Record<string, Row>>(keyedFold<Row>((row) => row.key), (flush) => frames.push(flush));
  const control = { push: (_row: Row) => {}, finish: (_report: Report) => {}, fail: (_error: Error) => {}, cancels: 0, opened: 0 };
  const open = (onChunk: (row: Row) => void): StreamCall<Report> => {
    control.opened++;
    let resolve!: (report: Report) => void;
    let reject!: (error: Error) => void;
    const result = new Promise<Report>((yes, no) => ((resolve = yes), (reject = no)));
    control.push = onChunk;
    control.finish = resolve;
    control.fail = reject;
    return {
      result,
      cancel: () => {
        control.cancels++;
        if (onCancel === 'partial result') resolve({ status: 'cancelled', done: 7 });
        else reject(new AtlasError({ name: 'StreamCancelled', code: 'CANCELLED', message: 'The stream was cancelled.' }));
      },
    };
  };
  const nextFrame = () => frames.splice(0).forEach((flush) => flush());
  return { live, control, open, nextFrame, frames };
}

const microtask = () => Promise.resolve();

describe('LiveStream: the renderer’s one store for a live stream, outside React and outside any page', () => {
  it('shows a chunk after a quiet frame at the end of the task, then at most once per frame, latest row per key', async () => {
    const { live, control, open, nextFrame, frames } = harness();
    let renders = 0;
    live.subscribe(() => renders++);
    void live.start(open);
    expect(live.getSnapshot().status).toBe('running');
    renders = 0;
    control.push({ key: 'us-east-1', done: 1 });
    expect(renders).toBe(0);
    await microtask();
    expect(renders).toBe(1);
    expect(live.getSnapshot().view).toEqual({ 'us-east-1': { key: 'us-east-1', done: 1 } });
    for (let done = 2; done <= 50; done++) control.push({ key: done % 2 ? 'us-east-1' : 'eu-west-1', done });
    await microtask();
    expect(renders).toBe(1);
    expect(frames).toHaveLength(1);
    nextFrame();
    expect(renders).toBe(2);
    expect(live.getSnapshot().view).toEqual({ 'us-east-1': { key: 'us-east-1', done: 49 }, 'eu-west-1': { key: 'eu-west-1', done: 50 } });
    nextFrame();
    expect(renders).toBe(2);
  });

  it('ends with the result, the last chunks flushed first', async () => {
    const { live, control, open } = harness();
    const ended = live.start(open);
    control.push({ key: 'us-east-1', done: 3 });
    control.finish({ status: 'completed', done: 3 });
    expect(await ended).toMatchObject({ status: 'done', result: { done: 3 }, view: { 'us-east-1': { done: 3 } } });
    expect(live.running).toBe(false);
  });

  it('a cancel asks upstream and ends with the partial result it sends back, marked cancelled, the rows kept', async () => {
    const { live, control, open } = harness('partial result');
    const ended = live.start(open);
    control.push({ key: 'us-east-1', done: 7 });
    live.cancel();
    live.cancel();
    expect(control.cancels).toBe(2);
    expect(await ended).toMatchObject({ status: 'cancelled', result: { status: 'cancelled', done: 7 }, error: null, view: { 'us-east-1': { done: 7 } } });
  });

  it('a cancel before there was anything to return ends cancelled, without a result', async () => {
    const { live, open } = harness('nothing to show');
    const ended = live.start(open);
    live.cancel();
    expect(await ended).toMatchObject({ status: 'cancelled', result: null, error: { code: 'CANCELLED' } });
  });

  it('a failed stream says why, with the error’s code', async () => {
    const { live, control, open } = harness();
    const ended = live.start(open);
    control.fail(new AtlasError({ name: 'UnknownTarget', code: 'UNKNOWN_TARGET', message: 'No model or inference profile matches "x".' }));
    expect(await ended).toMatchObject({ status: 'failed', error: { name: 'UnknownTarget', code: 'UNKNOWN_TARGET', message: 'No model or inference profile matches "x".' } });
  });

  it('starts one stream at a time, and a new start forgets the previous view', async () => {
    const { live, control, open } = harness();
    const first = live.start(open);
    void live.start(open);
    expect(control.opened).toBe(1);
    control.push({ key: 'us-east-1', done: 1 });
    control.finish({ status: 'completed', done: 1 });
    await first;
    void live.start(open);
    expect(control.opened).toBe(2);
    expect(live.getSnapshot()).toMatchObject({ status: 'running', view: {}, result: null });
  });

  it('reset cancels upstream and forgets the stream: its late end and chunks change nothing', async () => {
    const { live, control, open } = harness('nothing to show');
    const ended = live.start(open);
    const push = control.push;
    live.reset();
    expect(control.cancels).toBe(1);
    push({ key: 'late', done: 1 });
    await ended;
    await microtask();
    expect(live.getSnapshot()).toEqual({ status: 'idle', view: {}, result: null, error: null });
  });

  it('keeps working with no one subscribed (the page is away) and shows everything to whoever comes back', async () => {
    const { live, control, open, nextFrame } = harness();
    const unsubscribe = live.subscribe(() => {});
    const ended = live.start(open);
    unsubscribe();
    control.push({ key: 'us-east-1', done: 1 });
    await microtask();
    control.push({ key: 'us-east-1', done: 2 });
    nextFrame();
    control.finish({ status: 'completed', done: 2 });
    await ended;
    let renders = 0;
    live.subscribe(() => renders++);
    expect(renders).toBe(0);
    expect(live.getSnapshot()).toMatchObject({ status: 'done', view: { 'us-east-1': { done: 2 } }, result: { done: 2 } });
  });
});

describe('textFold: an answer’s text in stable pieces', () => {
  it('cuts after a space past 2 KB; earlier pieces never change, and pieces plus tail are the whole text', () => {
    const words = Array.from({ length: 1200 }, (_, index) => `word${index} `);
    const first = textFold.add(textFold.empty(), [{ text: words.slice(0, 600).join('') }]);
    expect(first.pieces.length).toBeGreaterThan(0);
    expect(first.pieces.every((piece) => piece.length >= 2048 && piece.endsWith(' '))).toBe(true);
    const second = textFold.add(first, words.slice(600).map((text) => ({ text })));
    expect(second.pieces.slice(0, first.pieces.length)).toEqual(first.pieces);
    expect(second.pieces.join('') + second.tail).toBe(words.join(''));
    expect(second.text).toBe(words.join(''));
    expect(second.tail.length).toBeLessThanOrEqual(2048 + 12);
  });
});
