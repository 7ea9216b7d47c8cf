import { describe, expect, it } from 'vitest';
import type { StreamHandlers } from '../../../src-shared/contract';
import type { FrameSink, StreamFrame } from './chunk-pump';
import { StreamRegistry } from './stream-registry';

/**
 * The registry's rules for how a stream ends, with handlers that do exactly what each case needs (no clock: each
 * handler waits for its signal, and the test says when to cancel).
 */

const INPUT = { target: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };

function sink(): FrameSink & { frames: StreamFrame[]; close(): void } {
  let closed = false;
  const frames: StreamFrame[] = [];
  return {
    frames,
    write: (frame) => (frames.push(frame), true),
    onDrain: () => () => {},
    get closed() {
      return closed;
    },
    close: () => (closed = true),
  };
}

const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/** A converse handler that emits `before`, waits for the cancel, emits `after`, then returns or throws. */
function registryWith(outcome: 'return' | 'throw', before: string[], after: string[] = []) {
  return new StreamRegistry({
    converse: async (_input: unknown, { signal, emit }: { signal: AbortSignal; emit: (chunk: { text: string }) => Promise<void> }) => {
      for (const text of before) await emit({ text });
      await aborted(signal);
      for (const text of after) await emit({ text });
      if (outcome === 'throw') throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      return { text: [...before, ...after].join(''), cancelled: true };
    },
  } as unknown as StreamHandlers);
}

function start(registry: StreamRegistry, target: ReturnType<typeof sink>, id?: string) {
  const started = registry.start('converse', INPUT, target, id ? { id } : {});
  if (!started.ok) throw new Error(started.error.message);
  return started.value;
}

describe('stream registry: how a cancelled stream ends', () => {
  it('a handler that returns after the cancel ends the stream with its partial result, after every chunk', async () => {
    const registry = registryWith('return', ['a', 'b'], ['c']);
    const target = sink();
    const { streamId, done } = start(registry, target);
    await Promise.resolve();
    expect(registry.cancel(streamId)).toBe(true);
    await done;
    expect(target.frames).toEqual([
      { type: 'chunk', data: { text: 'a' } },
      { type: 'chunk', data: { text: 'b' } },
      { type: 'chunk', data: { text: 'c' } },
      { type: 'result', data: { text: 'abc', cancelled: true } },
    ]);
    expect(registry.size).toBe(0);
  });

  it('a handler that throws after the cancel ends the stream with StreamCancelled', async () => {
    const registry = registryWith('throw', ['a']);
    const target = sink();
    const { streamId, done } = start(registry, target);
    registry.cancel(streamId);
    await done;
    expect(target.frames.map((frame) => frame.type)).toEqual(['chunk', 'error']);
    expect(target.frames[1]).toMatchObject({ type: 'error', data: { name: 'StreamCancelled', code: 'CANCELLED' } });
  });

  it('a reader that went away gets nothing more, whatever the handler returns', async () => {
    const registry = registryWith('return', ['a'], ['b']);
    const target = sink();
    const { streamId, done } = start(registry, target);
    target.close();
    registry.cancel(streamId);
    await done;
    expect(target.frames).toEqual([{ type: 'chunk', data: { text: 'a' } }]);
  });

  it('cancelling twice, after the end, or from another owner changes nothing', async () => {
    const registry = registryWith('return', ['a']);
    const target = sink();
    const started = registry.start('converse', INPUT, target, { owner: 'webContents:1' });
    if (!started.ok) throw new Error('did not start');
    expect(registry.cancel(started.value.streamId, 'webContents:2')).toBe(false);
    expect(registry.cancel(started.value.streamId, 'webContents:1')).toBe(true);
    registry.cancel(started.value.streamId, 'webContents:1');
    await started.value.done;
    expect(registry.cancel(started.value.streamId, 'webContents:1')).toBe(false);
    expect(target.frames.filter((frame) => frame.type !== 'chunk')).toHaveLength(1);
  });

  it('refuses an id that is already running, and the running stream is untouched', async () => {
    const registry = registryWith('return', []);
    const first = sink();
    const { done } = start(registry, first, 'same-id-123');
    const again = registry.start('converse', INPUT, sink(), { id: 'same-id-123' });
    expect(again).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    expect(registry.size).toBe(1);
    registry.cancel('same-id-123');
    await done;
    expect(first.frames).toEqual([{ type: 'result', data: { text: '', cancelled: true } }]);
  });
});
