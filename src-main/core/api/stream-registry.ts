import { randomUUID } from 'node:crypto';
import { isStreamName, streams, type StreamHandlers, type StreamName } from '../../../src-shared/contract';
import { serializeError, type Envelope } from '../../../src-shared/envelope';
import { ChunkPump, type FrameSink } from './chunk-pump';
import { issuesOf, redactedError, UnknownMethodError, ValidationError } from './dispatcher';

/**
 * Every live stream, keyed by its id, with the AbortController that cancels it. Both transports go through
 * here: `start` validates the input against the contract before anything runs (a bad argument never opens a
 * stream), then runs the handler with a signal and an `emit` that respects the reader's pace. `cancel` aborts
 * one stream, `cancelOwner` every stream of a closed window.
 *
 * A cancel aborts the handler's signal and nothing else: a handler that returns after it (with what it had done,
 * marked cancelled: a latency report with `status: 'cancelled'`, an answer with `cancelled: true`) ends the
 * stream with that result, over either transport, as long as the reader is still there. Only a handler that
 * throws after the abort (it had nothing to show yet) ends it with StreamCancelled. A reader that went away (a
 * closed request or window) gets nothing more.
 */

export class StreamCancelledError extends Error {
  override readonly name = 'StreamCancelled';
  readonly code = 'CANCELLED';
  constructor() {
    super('The stream was cancelled.');
  }
}

interface LiveStream {
  name: StreamName;
  owner: string | null;
  abort: AbortController;
  pump: ChunkPump;
}

export interface StartOptions {
  /** Who may cancel it and whose departure cancels it (an IPC sender); null for a request-scoped stream. */
  owner?: string | null;
  /** Aborts the stream from outside (a closed HTTP request). */
  signal?: AbortSignal;
  /** The id to use; a random one by default. */
  id?: string;
}

export class StreamRegistry {
  private readonly live = new Map<string, LiveStream>();

  constructor(
    private readonly handlers: StreamHandlers,
    private readonly log: (line: string) => void = () => {},
    /** Removes credentials from an error before it leaves the core (the AWS layer's redaction). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /**
   * Validates and starts a stream whose frames go to `sink`. Answers the stream id, or the error that kept it
   * from starting (UnknownStream, ValidationError). `done` settles once the final frame was handed to the sink.
   */
  start(name: string, rawInput: unknown, sink: FrameSink, options: StartOptions = {}): Envelope<{ streamId: string; done: Promise<void> }> {
    if (!isStreamName(name)) return { ok: false, error: serializeError(new UnknownMethodError(`Unknown stream "${name}"`)) };
    const definition = streams[name];
    const parsed = definition.input.safeParse(rawInput);
    if (!parsed.success) return { ok: false, error: serializeError(new ValidationError(name, issuesOf(parsed.error))) };

    const id = options.id ?? randomUUID();
    if (this.live.has(id)) return { ok: false, error: serializeError(new ValidationError(name, [{ path: 'streamId', message: `${id} is already in use` }])) };
    const abort = new AbortController();
    if (options.signal) {
      if (options.signal.aborted) abort.abort();
      else options.signal.addEventListener('abort', () => abort.abort(), { once: true });
    }
    const pump = new ChunkPump(sink, { coalesce: definition.coalesce as ((a: unknown, b: unknown) => unknown) | undefined });
    const stream: LiveStream = { name, owner: options.owner ?? null, abort, pump };
    this.live.set(id, stream);
    abort.signal.addEventListener('abort', () => {
      if (sink.closed) pump.abandon();
    });

    const handler = this.handlers[name] as (input: unknown, context: { signal: AbortSignal; emit: (chunk: unknown) => Promise<void> }) => Promise<unknown>;
    const done = (async () => {
      try {
        // Chunks emitted after a cancel still go out (a latency run's last progress rows), before the result.
        const result = await handler(parsed.data, { signal: abort.signal, emit: (chunk) => pump.push(chunk) });
        await pump.finish({ type: 'result', data: result });
      } catch (error) {
        const cancelled = abort.signal.aborted;
        const serialized = redactedError(serializeError(cancelled ? new StreamCancelledError() : error), this.redact);
        if (!cancelled) this.log(`stream ${name} failed: ${serialized.name}: ${serialized.message}`);
        await pump.finish({ type: 'error', data: serialized });
      } finally {
        this.live.delete(id);
      }
    })();
    return { ok: true, value: { streamId: id, done } };
  }

  /** Cancels one stream; an owner may cancel only its own. Cancelling twice, or an ended stream, is harmless. */
  cancel(id: string, owner: string | null = null): boolean {
    const stream = this.live.get(id);
    if (!stream || (stream.owner !== null && stream.owner !== owner)) return false;
    stream.abort.abort();
    return true;
  }

  /** Cancels every stream of one owner (a window that closed or reloaded). */
  cancelOwner(owner: string): number {
    let cancelled = 0;
    for (const stream of this.live.values()) {
      if (stream.owner === owner) {
        stream.abort.abort();
        cancelled++;
      }
    }
    return cancelled;
  }

  cancelAll(): void {
    for (const stream of this.live.values()) stream.abort.abort();
  }

  /** The streams still running, for tests and diagnostics. */
  get size(): number {
    return this.live.size;
  }
}
