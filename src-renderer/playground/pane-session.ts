import type { AtlasStreams, ContentBlock, ConverseChunk, ConverseFailure, ConverseInput, ConverseResult, SavedTurn } from '../../src-shared/contract';
import { frameScheduler, type Scheduler } from '../api/frame-scheduler';
import { LiveStream, textFold, type LiveSnapshot, type TextView } from '../api/live-stream';

/**
 * One pane's conversation as a small external store, outside React Query and outside the page: its finished
 * turns, and the answer being streamed as the one LiveStream store (at most one screen update per animation
 * frame, whatever the token rate). Components read it through useSyncExternalStore, so only the pane that
 * changed renders; leaving the page leaves the answer streaming into it.
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

const IDLE = { streamingText: '', streamingPieces: [] as string[], streamingTail: '' };

/** What the pane's footer says under an answer that was cancelled (its text and figures so far are kept). */
export const CANCELLED_NOTE: ConverseFailure = { name: 'StreamCancelled', code: 'CANCELLED', message: 'Cancelled: the request was aborted upstream; the text that had arrived is kept.' };

const textOf = (turn: Turn) => turn.content.map((block) => ('text' in block ? block.text : '')).join('');

/** The messages Bedrock needs: turns in order, leaving out exchanges whose answer never arrived. */
export function messagesFor(turns: Turn[]): ConverseInput['messages'] {
  const messages: ConverseInput['messages'] = [];
  for (let index = 0; index < turns.length; index++) {
    const turn = turns[index]!; // index < turns.length
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
  private turns: Turn[] = [];
  /** Set while an answer streams: the prompt's turns, shown with the live text after them. */
  private streaming = false;
  private readonly answer: LiveStream<ConverseChunk, ConverseResult, TextView>;
  private snapshot: PaneSnapshot = { turns: [], status: 'idle', ...IDLE };
  private seen: { turns: Turn[]; live: LiveSnapshot<TextView, ConverseResult> | null; streaming: boolean } = { turns: [], live: null, streaming: false };
  private readonly listeners = new Set<() => void>();
  private status: PaneStatus = 'idle';

  constructor(schedule: Scheduler = frameScheduler) {
    this.answer = new LiveStream(textFold, schedule);
    this.answer.subscribe(this.changed);
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** The same object while nothing changed (useSyncExternalStore compares it). */
  getSnapshot = () => {
    const live = this.streaming ? this.answer.getSnapshot() : null;
    if (this.seen.turns !== this.turns || this.seen.live !== live || this.seen.streaming !== this.streaming) {
      this.seen = { turns: this.turns, live, streaming: this.streaming };
      this.snapshot = live
        ? { turns: this.turns, status: 'streaming', streamingText: live.view.text, streamingPieces: live.view.pieces, streamingTail: live.view.tail }
        : { turns: this.turns, status: this.status, ...IDLE };
    }
    return this.snapshot;
  };

  private changed = () => {
    for (const listener of this.listeners) listener();
  };

  private setTurns(turns: Turn[], status: PaneStatus) {
    this.turns = turns;
    this.status = status;
    this.changed();
  }

  /** The input is complete but for the messages: the pane's turns plus this prompt. Resolves when the answer ends. */
  async send(streams: AtlasStreams, request: Omit<ConverseInput, 'messages'>, prompt: ContentBlock[]): Promise<void> {
    if (this.streaming) return;
    const turns = [...this.turns, { role: 'user' as const, content: prompt }];
    const messages = messagesFor(turns);
    this.streaming = true;
    this.setTurns(turns, 'streaming');
    const ended = await this.answer.start((onChunk) => streams.converse({ ...request, messages }, onChunk));
    // Loaded or cleared while it streamed: that conversation is gone, and so is this answer.
    if (this.turns !== turns) return;
    this.streaming = false;
    let answer: Turn;
    if (ended.result) {
      answer = { role: 'assistant', content: [{ text: ended.result.text }], result: ended.result, ...(ended.status === 'cancelled' ? { error: CANCELLED_NOTE } : {}) };
    } else {
      const failure = ended.error ?? { name: 'Error', message: 'The answer ended without a result.' };
      answer = { role: 'assistant', content: [{ text: ended.view.text }], error: ended.status === 'cancelled' ? CANCELLED_NOTE : failure };
    }
    this.setTurns([...turns, answer], ended.status === 'cancelled' ? 'cancelled' : ended.status === 'done' ? 'done' : 'failed');
  }

  /** Records a refusal made before sending (a bad parameter, a route that would fail), as an answer that never came. */
  refuse(prompt: ContentBlock[], failure: ConverseFailure): void {
    this.setTurns([...this.turns, { role: 'user', content: prompt }, { role: 'assistant', content: [{ text: '' }], error: failure }], 'failed');
  }

  /** Aborts the stream upstream; the answer ends with the text so far. Harmless when nothing runs or when called twice. */
  cancel(): void {
    this.answer.cancel();
  }

  get isStreaming(): boolean {
    return this.streaming;
  }

  /** Replaces the conversation; an answer still streaming is cancelled upstream and dropped. */
  load(turns: SavedTurn[]): void {
    this.answer.reset();
    this.streaming = false;
    this.setTurns(turns.map((turn) => ({ ...turn })), 'idle');
  }

  clear(): void {
    this.load([]);
  }
}
