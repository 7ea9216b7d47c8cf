import type { AtlasStreams, ContentBlock, ConverseFailure, ConverseInput, ConverseResult, SavedTurn, StreamCall } from '../../src-shared/contract';
import { frameScheduler, type Scheduler } from '../api/frame-scheduler';

/**
 * One pane's conversation as a small external store, outside React Query: a fast stream appends to a pending
 * buffer and the screen is updated at most once per animation frame, whatever the token rate (a chunk that
 * follows a quiet frame is shown at once, so a slow stream is not held back a frame). Components read it
 * through useSyncExternalStore, so only the pane that changed renders.
 */

export interface Turn {
  role: 'user' | 'assistant';
  content: ContentBlock[];
  result?: ConverseResult;
  error?: ConverseFailure;
}

export type PaneStatus = 'idle' | 'streaming' | 'done' | 'failed' | 'cancelled';

export interface PaneSnapshot {
  turns: Turn[];
  status: PaneStatus;
  /** The text of the answer being streamed (also in the last turn once it ends). */
  streamingText: string;
  /**
   * The same text for the screen: completed pieces of about 2 KB, cut after a space (the array changes only when
   * a piece completes), and the growing tail. A frame then redraws the tail only, however long the answer.
   */
  streamingPieces: string[];
  streamingTail: string;
}

const PIECE = 2048;
const IDLE = { streamingText: '', streamingPieces: [] as string[], streamingTail: '' };


const textOf = (turn: Turn) => turn.content.map((block) => ('text' in block ? block.text : '')).join('');

/** The messages Bedrock needs: turns in order, leaving out exchanges whose answer never arrived. */
export function messagesFor(turns: Turn[]): ConverseInput['messages'] {
  const messages: ConverseInput['messages'] = [];
  for (let index = 0; index < turns.length; index++) {
    const turn = turns[index];
    const answer = turns[index + 1];
    if (turn.role === 'user' && answer?.role === 'assistant' && textOf(answer).trim() === '') {
      index++;
      continue;
    }
    messages.push({ role: turn.role, content: turn.role === 'assistant' ? [{ text: textOf(turn) }] : turn.content });
  }
  return messages;
}

export class PaneSession {
  private snapshot: PaneSnapshot = { turns: [], status: 'idle', ...IDLE };
  private readonly listeners = new Set<() => void>();
  private pending = '';
  /** A flush is queued for the end of this task. */
  private flushQueued = false;
  /** The screen got text in this frame: more waits for the frame's end. */
  private frameBusy = false;
  private call: StreamCall<ConverseResult> | null = null;

  constructor(private readonly schedule: Scheduler = frameScheduler) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.snapshot;

  private set(next: PaneSnapshot) {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private flush = () => {
    this.flushQueued = false;
    if (!this.pending) return;
    const streamingText = this.snapshot.streamingText + this.pending;
    let streamingTail = this.snapshot.streamingTail + this.pending;
    let streamingPieces = this.snapshot.streamingPieces;
    this.pending = '';
    while (streamingTail.length > PIECE) {
      const end = streamingTail.indexOf(' ', PIECE);
      if (end < 0) break;
      streamingPieces = [...streamingPieces, streamingTail.slice(0, end + 1)];
      streamingTail = streamingTail.slice(end + 1);
    }
    this.set({ ...this.snapshot, streamingText, streamingPieces, streamingTail });
    if (!this.frameBusy) {
      this.frameBusy = true;
      this.schedule(this.frameEnded);
    }
  };

  private frameEnded = () => {
    this.frameBusy = false;
    this.flush();
  };

  /** A chunk in a frame that has shown nothing yet is shown now; later ones in that frame wait for its end. */
  private onChunk = (text: string) => {
    this.pending += text;
    if (this.frameBusy || this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flush);
  };

  /** The input is complete but for the messages: the pane's turns plus this prompt. Resolves when the answer ends. */
  async send(streams: AtlasStreams, request: Omit<ConverseInput, 'messages'>, prompt: ContentBlock[]): Promise<void> {
    if (this.call) return;
    const turns = [...this.snapshot.turns, { role: 'user' as const, content: prompt }];
    const messages = messagesFor(turns);
    this.set({ turns, status: 'streaming', ...IDLE });
    const call = streams.converse({ ...request, messages }, (chunk) => this.onChunk(chunk.text));
    this.call = call;
    let answer: Turn;
    let status: PaneStatus;
    try {
      const result = await call.result;
      answer = { role: 'assistant', content: [{ text: result.text }], result };
      status = 'done';
    } catch (error) {
      const failure = error as { name?: string; code?: string; message?: string };
      this.flush();
      const cancelled = failure.code === 'CANCELLED';
      answer = {
        role: 'assistant',
        content: [{ text: this.snapshot.streamingText }],
        error: { name: failure.name ?? 'Error', ...(failure.code ? { code: failure.code } : {}), message: cancelled ? 'Cancelled: the request was aborted upstream; the text that had arrived is kept.' : (failure.message ?? String(error)) },
      };
      status = cancelled ? 'cancelled' : 'failed';
    }
    this.call = null;
    this.pending = '';
    this.set({ turns: [...turns, answer], status, ...IDLE });
  }

  /** Records a refusal made before sending (a bad parameter, a route that would fail), as an answer that never came. */
  refuse(prompt: ContentBlock[], failure: ConverseFailure): void {
    this.set({ turns: [...this.snapshot.turns, { role: 'user', content: prompt }, { role: 'assistant', content: [{ text: '' }], error: failure }], status: 'failed', ...IDLE });
  }

  /** Aborts the stream upstream; the partial text is kept. Harmless when nothing runs or when called twice. */
  cancel(): void {
    this.call?.cancel();
  }

  get streaming(): boolean {
    return this.call !== null;
  }

  load(turns: SavedTurn[]): void {
    this.cancel();
    this.set({ turns: turns.map((turn) => ({ ...turn })), status: 'idle', ...IDLE });
  }

  clear(): void {
    this.load([]);
  }
}
