import type { StreamCall } from '../../src-shared/contract';
import { frameScheduler, type Scheduler } from '../api/frame-scheduler';

/**
 * A live stream's state outside React Query: chunks are keyed (one row per route or region) into a pending map,
 * and the screen is updated at most once per animation frame, so 50 progress updates a second cost at most one
 * render a frame. Components read it through useSyncExternalStore.
 */

export type LiveStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface LiveSnapshot<Chunk, Result> {
  status: LiveStatus;
  /** The latest chunk per key, in the order keys first arrived. */
  rows: Record<string, Chunk>;
  result: Result | null;
  error: { name: string; code?: string; message: string } | null;
}


export class LiveStream<Chunk, Result> {
  private snapshot: LiveSnapshot<Chunk, Result> = { status: 'idle', rows: {}, result: null, error: null };
  private readonly listeners = new Set<() => void>();
  private pending = new Map<string, Chunk>();
  private flushScheduled = false;
  private call: StreamCall<Result> | null = null;

  constructor(
    private readonly keyOf: (chunk: Chunk) => string,
    private readonly schedule: Scheduler = frameScheduler,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = () => this.snapshot;

  private set(next: LiveSnapshot<Chunk, Result>) {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private flush = () => {
    this.flushScheduled = false;
    if (this.pending.size === 0) return;
    const rows = { ...this.snapshot.rows };
    for (const [key, chunk] of this.pending) rows[key] = chunk;
    this.pending = new Map();
    this.set({ ...this.snapshot, rows });
  };

  private onChunk = (chunk: Chunk) => {
    this.pending.set(this.keyOf(chunk), chunk);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(this.flush);
  };

  get running(): boolean {
    return this.call !== null;
  }

  /** Starts the stream (one at a time); resolves once it has ended, whichever way. */
  async start(open: (onChunk: (chunk: Chunk) => void) => StreamCall<Result>): Promise<void> {
    if (this.call) return;
    this.pending = new Map();
    this.set({ status: 'running', rows: {}, result: null, error: null });
    const call = open(this.onChunk);
    this.call = call;
    try {
      const result = await call.result;
      this.flush();
      this.set({ ...this.snapshot, status: 'done', result });
    } catch (error) {
      this.flush();
      const failure = error as { name?: string; code?: string; message?: string };
      const cancelled = failure.code === 'CANCELLED';
      this.set({
        ...this.snapshot,
        status: cancelled ? 'cancelled' : 'failed',
        error: { name: failure.name ?? 'Error', ...(failure.code ? { code: failure.code } : {}), message: failure.message ?? String(error) },
      });
    } finally {
      this.call = null;
    }
  }

  /** Aborts upstream; the rows already received stay. */
  cancel(): void {
    this.call?.cancel();
  }
}
