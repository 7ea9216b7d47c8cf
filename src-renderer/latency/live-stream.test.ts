import { describe, expect, it } from 'vitest';
import type { StreamCall } from '../../src-shared/contract';
import { AtlasError } from '../../src-shared/envelope';
import { LiveStream } from './live-stream';

interface Chunk {
  key: string;
  done: number;
}

/** A stream under the test's control, and a scheduler that flushes only when the test says a frame passed. */
function harness() {
  const frames: Array<() => void> = [];
  const live = new LiveStream<Chunk, string>((chunk) => chunk.key, (flush) => frames.push(flush));
  const control = { push: (_chunk: Chunk) => {}, finish: (_result: string) => {}, fail: (_error: Error) => {}, cancels: 0 };
  const open = (onChunk: (chunk: Chunk) => void): StreamCall<string> => {
    let reject!: (error: Error) => void;
    const result = new Promise<string>((resolve, fail) => {
      control.finish = resolve;
      reject = fail;
    });
    control.push = onChunk;
    control.fail = (error) => reject(error);
    return { result, cancel: () => (control.cancels++, reject(new AtlasError({ name: 'StreamCancelled', code: 'CANCELLED', message: 'The stream was cancelled.' }))) };
  };
  const nextFrame = () => frames.splice(0).forEach((flush) => flush());
  return { live, control, open, nextFrame, frames };
}

describe('LiveStream: a live stream kept outside React, flushed once per frame', () => {
  it('keeps the latest chunk per key and publishes at most once per frame, however many chunks arrive', () => {
    const { live, control, open, nextFrame, frames } = harness();
    let renders = 0;
    live.subscribe(() => renders++);
    void live.start(open);
    expect(live.getSnapshot().status).toBe('running');
    renders = 0;
    for (let done = 1; done <= 50; done++) control.push({ key: done % 2 ? 'us-east-1' : 'eu-west-1', done });
    expect(frames).toHaveLength(1);
    expect(renders).toBe(0);
    nextFrame();
    expect(renders).toBe(1);
    expect(live.getSnapshot().rows).toEqual({ 'us-east-1': { key: 'us-east-1', done: 49 }, 'eu-west-1': { key: 'eu-west-1', done: 50 } });
    nextFrame();
    expect(renders).toBe(1);
  });

  it('ends with the result, the last chunks flushed', async () => {
    const { live, control, open } = harness();
    const ended = live.start(open);
    control.push({ key: 'us-east-1', done: 3 });
    control.finish('report');
    await ended;
    expect(live.getSnapshot()).toMatchObject({ status: 'done', result: 'report', rows: { 'us-east-1': { done: 3 } } });
    expect(live.running).toBe(false);
  });

  it('cancel aborts the call and keeps the rows received, marked cancelled', async () => {
    const { live, control, open } = harness();
    const ended = live.start(open);
    control.push({ key: 'us-east-1', done: 7 });
    live.cancel();
    await ended;
    expect(control.cancels).toBe(1);
    expect(live.getSnapshot()).toMatchObject({ status: 'cancelled', result: null, rows: { 'us-east-1': { done: 7 } }, error: { code: 'CANCELLED' } });
  });

  it('a failed stream says why, with the error’s code', async () => {
    const { live, control, open } = harness();
    const ended = live.start(open);
    control.fail(new AtlasError({ name: 'UnknownTarget', code: 'UNKNOWN_TARGET', message: 'No model or inference profile matches "x".' }));
    await ended;
    expect(live.getSnapshot()).toMatchObject({ status: 'failed', error: { name: 'UnknownTarget', code: 'UNKNOWN_TARGET', message: 'No model or inference profile matches "x".' } });
  });

  it('starts one stream at a time, and a new start forgets the previous rows', async () => {
    const { live, control, open } = harness();
    let opened = 0;
    const counting = (onChunk: (chunk: Chunk) => void) => (opened++, open(onChunk));
    const first = live.start(counting);
    void live.start(counting);
    expect(opened).toBe(1);
    control.push({ key: 'us-east-1', done: 1 });
    control.finish('first');
    await first;
    void live.start(counting);
    expect(opened).toBe(2);
    expect(live.getSnapshot()).toMatchObject({ status: 'running', rows: {}, result: null });
  });
});
