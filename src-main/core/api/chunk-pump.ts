import type { StreamFrame } from '../../../src-shared/stream-frames';

/**
 * Carries one stream's frames to a channel that can be busy (a socket whose buffer is full, an IPC channel whose
 * reader has not acknowledged). While the channel is busy, chunks wait here and mergeable ones (text deltas) are
 * merged into one, so nothing is lost and a slow reader gets fewer, larger chunks. Once more than
 * `highWaterBytes` wait, `push` returns a promise that settles when the channel drains: the producer (and through
 * it the upstream HTTP stream) waits, so memory stays bounded whatever the reader's speed.
 */


export type { StreamFrame };

export interface FrameSink {
  /** Takes the frame; returns false when the channel is now busy (the frame is still delivered). */
  write(frame: StreamFrame): boolean;
  /** Registers a callback for when the channel can take more; returns an unsubscribe. */
  onDrain(listener: () => void): () => void;
  /** True once the reader is gone; frames are then dropped. */
  readonly closed: boolean;
}

export interface ChunkPumpOptions {
  coalesce?: (previous: unknown, next: unknown) => unknown;
  highWaterBytes?: number;
}

const DEFAULT_HIGH_WATER_BYTES = 64 * 1024;

function sizeOf(data: unknown): number {
  if (typeof data === 'object' && data !== null && 'text' in data && typeof data.text === 'string') return data.text.length + 16;
  return JSON.stringify(data)?.length ?? 0;
}

export class ChunkPump {
  private readonly waiting: StreamFrame[] = [];
  private waitingBytes = 0;
  private busy = false;
  private readonly relieved: (() => void)[] = [];
  private readonly stopListening: () => void;
  private readonly highWaterBytes: number;

  constructor(
    private readonly sink: FrameSink,
    private readonly options: ChunkPumpOptions = {},
  ) {
    this.highWaterBytes = options.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES;
    this.stopListening = sink.onDrain(() => {
      this.busy = false;
      this.flush();
    });
  }

  /** Queues a chunk; the promise settles at once unless too much is already waiting for a busy reader. */
  push(data: unknown): Promise<void> {
    if (this.sink.closed) return Promise.resolve();
    if (!this.busy && this.waiting.length === 0) {
      this.busy = !this.sink.write({ type: 'chunk', data });
      return Promise.resolve();
    }
    const last = this.waiting[this.waiting.length - 1];
    const merged = last?.type === 'chunk' && this.options.coalesce ? this.options.coalesce(last.data, data) : undefined;
    if (merged !== undefined) last!.data = merged;
    else this.waiting.push({ type: 'chunk', data });
    this.waitingBytes += sizeOf(data);
    if (this.waitingBytes <= this.highWaterBytes) return Promise.resolve();
    return new Promise((resolve) => this.relieved.push(resolve));
  }

  /** Sends the final frame after every waiting chunk, then stops. */
  finish(frame: Extract<StreamFrame, { type: 'result' | 'error' }>): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stopListening();
        this.release();
        resolve();
      };
      if (this.sink.closed) return done();
      this.waiting.push(frame);
      this.onEmpty = done;
      this.flush();
    });
  }

  /** The reader is gone: let a waiting producer go on (its signal is aborted by the registry). */
  abandon(): void {
    this.waiting.length = 0;
    this.waitingBytes = 0;
    this.release();
    this.stopListening();
    const onEmpty = this.onEmpty;
    this.onEmpty = null;
    onEmpty?.();
  }

  private onEmpty: (() => void) | null = null;

  private flush(): void {
    while (!this.busy && this.waiting.length > 0 && !this.sink.closed) {
      const frame = this.waiting.shift()!;
      if (frame.type === 'chunk') this.waitingBytes -= sizeOf(frame.data);
      this.busy = !this.sink.write(frame);
    }
    if (this.sink.closed) this.waiting.length = 0;
    if (this.waiting.length === 0) this.waitingBytes = 0;
    if (this.waitingBytes <= this.highWaterBytes / 2) this.release();
    if (this.waiting.length === 0 && this.onEmpty) {
      const onEmpty = this.onEmpty;
      this.onEmpty = null;
      onEmpty();
    }
  }

  private release(): void {
    for (const resolve of this.relieved.splice(0)) resolve();
  }
}
