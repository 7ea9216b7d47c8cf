import type { StreamCall } from '../../src-shared/contract';
import { isCancelledResult } from '../../src-shared/stream-frames';
import { frameScheduler, type Scheduler } from './frame-scheduler';

/**
 * One live stream's state outside React (and outside any page): what its chunks add up to, how it ended, and
 * the call that cancels it. Components read it through useSyncExternalStore. However fast the chunks come, the
 * screen changes at most once per animation frame: a chunk after a quiet frame is shown at the end of the
 * current task (a slow stream is not held back a frame), later ones wait for that frame's end.
 *
 * Because it lives outside the page, leaving the page leaves the stream running and seen: coming back shows it
 * still streaming, or how it ended.
 */

export type LiveStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface LiveFailure {
  name: string;
  code?: string;
  message: string;
}

export interface LiveSnapshot<View, Result> {
  status: LiveStatus;
  /** What the chunks so far add up to (the text of an answer, the latest progress row per route). */
  view: View;
  /** The result: complete, or partial when the stream was cancelled (`status: 'cancelled'`). */
  result: Result | null;
  /** Why it failed, or StreamCancelled when it was cancelled before there was anything to return. */
  error: LiveFailure | null;
}

/** How chunks add up: `add` takes the view and the chunks that arrived since, and returns a new view. */
export interface ChunkFold<Chunk, View> {
  empty(): View;
  add(view: View, chunks: Chunk[]): View;
}

export class LiveStream<Chunk, Result, View> {
  private snapshot: LiveSnapshot<View, Result>;
  private readonly listeners = new Set<() => void>();
  private pending: Chunk[] = [];
  private flushQueued = false;
  /** The screen got chunks in this frame: more wait for the frame's end. */
  private frameBusy = false;
  private call: StreamCall<Result> | null = null;
  /** Bumped by reset(): an ended call that was reset away no longer touches the state. */
  private generation = 0;

  constructor(
    private readonly fold: ChunkFold<Chunk, View>,
    private readonly schedule: Scheduler = frameScheduler,
  ) {
    this.snapshot = { status: 'idle', view: fold.empty(), result: null, error: null };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = () => this.snapshot;

  get running(): boolean {
    return this.call !== null;
  }

  private set(next: LiveSnapshot<View, Result>) {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private flush = () => {
    this.flushQueued = false;
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.set({ ...this.snapshot, view: this.fold.add(this.snapshot.view, chunks) });
    if (!this.frameBusy) {
      this.frameBusy = true;
      this.schedule(this.frameEnded);
    }
  };

  private frameEnded = () => {
    this.frameBusy = false;
    this.flush();
  };

  private onChunk(generation: number, chunk: Chunk) {
    if (generation !== this.generation) return;
    this.pending.push(chunk);
    if (this.frameBusy || this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flush);
  }

  /**
   * Starts the stream and resolves with the snapshot it ended with, whichever way it ended. One at a time: while
   * one runs, this does nothing and answers the current snapshot.
   */
  async start(open: (onChunk: (chunk: Chunk) => void) => StreamCall<Result>): Promise<LiveSnapshot<View, Result>> {
    if (this.call) return this.snapshot;
    const generation = ++this.generation;
    this.pending = [];
    this.set({ status: 'running', view: this.fold.empty(), result: null, error: null });
    const call = open((chunk) => this.onChunk(generation, chunk));
    this.call = call;
    let outcome: Pick<LiveSnapshot<View, Result>, 'status' | 'result' | 'error'>;
    try {
      const result = await call.result;
      outcome = { status: isCancelledResult(result) ? 'cancelled' : 'done', result, error: null };
    } catch (error) {
      const failure = error as { name?: string; code?: string; message?: string };
      outcome = {
        status: failure.code === 'CANCELLED' ? 'cancelled' : 'failed',
        result: null,
        error: { name: failure.name ?? 'Error', ...(failure.code ? { code: failure.code } : {}), message: failure.message ?? String(error) },
      };
    }
    if (generation !== this.generation) return this.snapshot;
    this.flush();
    this.call = null;
    this.set({ ...this.snapshot, ...outcome });
    return this.snapshot;
  }

  /** Asks upstream to stop: the stream then ends with what was done so far, marked cancelled. Harmless twice. */
  cancel(): void {
    this.call?.cancel();
  }

  /** Cancels upstream and forgets the stream: back to idle, and its end will not come back here. */
  reset(): void {
    this.call?.cancel();
    this.call = null;
    this.generation++;
    this.pending = [];
    this.set({ status: 'idle', view: this.fold.empty(), result: null, error: null });
  }
}

/** Text deltas, for an answer: the whole text, and the same text in stable pieces for the screen (see TextView). */
export interface TextView {
  text: string;
  /**
   * Completed pieces of about 2 KB, cut after a space (the array changes only when a piece completes), and the
   * growing tail: a frame then redraws the tail only, however long the answer.
   */
  pieces: string[];
  tail: string;
}

const PIECE = 2048;

export const textFold: ChunkFold<{ text: string }, TextView> = {
  empty: () => ({ text: '', pieces: [], tail: '' }),
  add: (view, chunks) => {
    const added = chunks.map((chunk) => chunk.text).join('');
    let tail = view.tail + added;
    let pieces = view.pieces;
    while (tail.length > PIECE) {
      const end = tail.indexOf(' ', PIECE);
      if (end < 0) break;
      pieces = [...pieces, tail.slice(0, end + 1)];
      tail = tail.slice(end + 1);
    }
    return { text: view.text + added, pieces, tail };
  },
};

/** Snapshots keyed by one field (a latency run's progress per route): the latest per key, in first-seen order. */
export function keyedFold<Chunk>(keyOf: (chunk: Chunk) => string): ChunkFold<Chunk, Record<string, Chunk>> {
  return {
    empty: () => ({}),
    add: (rows, chunks) => {
      const next = { ...rows };
      for (const chunk of chunks) next[keyOf(chunk)] = chunk;
      return next;
    },
  };
}
