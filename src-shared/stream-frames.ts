import type { SerializedError } from './envelope';

/**
 * What a running stream sends its caller, over either transport: any number of `chunk` frames, then exactly one
 * `result` or `error`. Over HTTP each frame is one Server-Sent Event named after its type; over IPC each is one
 * message tagged with the stream's id.
 */
export type StreamFrame =
  | { type: 'chunk'; data: unknown }
  | { type: 'result'; data: unknown }
  | { type: 'error'; data: SerializedError };

export interface StreamFrameMessage {
  streamId: string;
  frame: StreamFrame;
}

/** A stream id chosen by the renderer before it starts the stream, so it can listen before any frame exists. */
export const STREAM_ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

/**
 * Whether a stream's result is the partial one of a cancelled stream: a handler that was cancelled returns what
 * it had done, marked `cancelled: true` (an answer) or `status: 'cancelled'` (a latency run or probe report).
 */
export function isCancelledResult(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  return (result as { cancelled?: unknown }).cancelled === true || (result as { status?: unknown }).status === 'cancelled';
}
