import { describe, expect, it } from 'vitest';
import { ChunkPump, type FrameSink, type StreamFrame } from './chunk-pump';

/** A channel that reports busy after every `room` frames until `drain()` is called. */
function channel(room: number) {
  const frames: StreamFrame[] = [];
  const drains = new Set<() => void>();
  let used = 0;
  const sink: FrameSink & { frames: StreamFrame[]; drain(): void } = {
    frames,
    closed: false,
    write: (frame) => {
      frames.push(frame);
      return ++used < room;
    },
    onDrain: (listener) => (drains.add(listener), () => drains.delete(listener)),
    drain: () => {
      used = 0;
      drains.forEach((listener) => listener());
    },
  };
  return sink;
}

const merge = (a: unknown, b: unknown) => ({ text: (a as { text: string }).text + (b as { text: string }).text });

describe('chunk pump', () => {
  it('writes straight through while the channel has room', async () => {
    const sink = channel(100);
    const pump = new ChunkPump(sink, { coalesce: merge });
    for (const text of ['a', 'b', 'c']) await pump.push({ text });
    await pump.finish({ type: 'result', data: 1 });
    expect(sink.frames).toEqual([{ type: 'chunk', data: { text: 'a' } }, { type: 'chunk', data: { text: 'b' } }, { type: 'chunk', data: { text: 'c' } }, { type: 'result', data: 1 }]);
  });

  it('merges text while the channel is busy, loses nothing, and sends the result last', async () => {
    const sink = channel(1);
    const pump = new ChunkPump(sink, { coalesce: merge });
    for (const text of ['a', 'b', 'c', 'd']) await pump.push({ text });
    const finished = pump.finish({ type: 'result', data: 'end' });
    expect(sink.frames).toEqual([{ type: 'chunk', data: { text: 'a' } }]);
    sink.drain();
    sink.drain();
    await finished;
    expect(sink.frames).toEqual([{ type: 'chunk', data: { text: 'a' } }, { type: 'chunk', data: { text: 'bcd' } }, { type: 'result', data: 'end' }]);
  });

  it('keeps chunks apart when the stream has no merge rule', async () => {
    const sink = channel(1);
    const pump = new ChunkPump(sink);
    for (const value of [1, 2, 3]) await pump.push(value);
    sink.drain();
    sink.drain();
    sink.drain();
    expect(sink.frames.map((frame) => frame.data)).toEqual([1, 2, 3]);
  });

  it('makes the producer wait once the high-water mark is passed, and lets it go on drain', async () => {
    const sink = channel(1);
    const pump = new ChunkPump(sink, { coalesce: merge, highWaterBytes: 100 });
    await pump.push({ text: 'first' });
    let released = false;
    const waiting = pump.push({ text: 'x'.repeat(200) }).then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    sink.drain();
    await waiting;
    expect(released).toBe(true);
  });
});
