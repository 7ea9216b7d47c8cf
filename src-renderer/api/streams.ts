import type { AtlasStreams, StreamCall } from '../../src-shared/contract';
import { STREAM_NAMES, type StreamName } from '../../src-shared/methods';
import { AtlasError, type SerializedError } from '../../src-shared/envelope';
import type { AtlasBridge } from '../../src-shared/bridge';
import type { StreamFrame, StreamFrameMessage } from '../../src-shared/stream-frames';
import { readServerSentEvents } from './sse';

/**
 * The contract's streams from the renderer, over either transport, generated from the stream list. Each call
 * gives chunks to `onChunk` as they arrive and settles `result` with the one result (or the named error).
 * `cancel()` asks the main process to abort upstream and keeps listening: the call then settles with the
 * handler's partial result, marked cancelled (see isCancelledResult), or with StreamCancelled when the handler had
 * nothing to show. Over HTTP, when the host cannot be asked (it does not know the stream yet, or is gone), the
 * request is closed instead, which cancels upstream too and settles with StreamCancelled.
 */

const cancelledError = () => new AtlasError({ name: 'StreamCancelled', code: 'CANCELLED', message: 'The stream was cancelled.' });

/** Settles a call from its frames; ignores anything after it settled (a late frame after cancel). */
function frameHandler<Result>(onChunk: (chunk: unknown) => void, resolve: (result: Result) => void, reject: (error: Error) => void) {
  let settled = false;
  return {
    get settled() {
      return settled;
    },
    handle(frame: StreamFrame) {
      if (settled) return;
      if (frame.type === 'chunk') onChunk(frame.data);
      else {
        settled = true;
        if (frame.type === 'result') resolve(frame.data as Result);
        else reject(new AtlasError(frame.data));
      }
    },
    fail(error: Error) {
      if (settled) return;
      settled = true;
      reject(error);
    },
  };
}

function generate(start: (name: StreamName, input: unknown, onChunk: (chunk: unknown) => void) => StreamCall<unknown>): AtlasStreams {
  return Object.fromEntries(STREAM_NAMES.map((name) => [name, (input: unknown, onChunk: (chunk: unknown) => void) => start(name, input, onChunk)])) as AtlasStreams;
}

/** Over the preload bridge: frames for this window arrive tagged with the id the renderer chose. */
export function bridgeStreams(bridge: AtlasBridge): AtlasStreams {
  const live = new Map<string, (frame: StreamFrame) => void>();
  let unacked = new Map<string, number>();
  const flushAcks = () => {
    const acks = unacked;
    unacked = new Map();
    for (const [streamId, frames] of acks) bridge.ackStream(streamId, frames);
  };
  bridge.onStreamFrame((message: StreamFrameMessage) => {
    const deliver = live.get(message.streamId);
    if (!deliver) return;
    deliver(message.frame);
    // Acknowledge once per burst: the main process sends more only as frames are handled.
    if (unacked.size === 0) queueMicrotask(flushAcks);
    unacked.set(message.streamId, (unacked.get(message.streamId) ?? 0) + 1);
  });

  return generate((name, input, onChunk) => {
    const streamId = crypto.randomUUID();
    let handler!: ReturnType<typeof frameHandler>;
    const result = new Promise<unknown>((resolve, reject) => (handler = frameHandler(onChunk, resolve, reject)));
    live.set(streamId, (frame) => {
      handler.handle(frame);
      if (handler.settled) live.delete(streamId);
    });
    void (bridge.streams[name] as (id: string, input: unknown) => Promise<{ ok: boolean; error?: SerializedError }>)(streamId, input).then(
      (reply) => {
        if (!reply.ok) {
          live.delete(streamId);
          handler.fail(new AtlasError(reply.error!));
        }
      },
      (error: Error) => handler.fail(error),
    );
    return {
      result,
      // The frames keep coming until the final one (the partial result); a second cancel is harmless upstream.
      cancel: () => {
        if (!handler.settled) bridge.cancelStream(streamId);
      },
    };
  });
}

/** Over loopback HTTP: `POST /api/stream/<name>` answered with Server-Sent Events, under an id the client chose. */
export function httpStreams(baseUrl: string, authorization: string): AtlasStreams {
  return generate((name, input, onChunk) => {
    const streamId = crypto.randomUUID();
    const abort = new AbortController();
    let handler!: ReturnType<typeof frameHandler>;
    let cancelling = false;
    const result = new Promise<unknown>((resolve, reject) => (handler = frameHandler(onChunk, resolve, reject)));
    void (async () => {
      const response = await fetch(`${baseUrl}/api/stream/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization, 'x-atlas-stream-id': streamId },
        body: JSON.stringify(input ?? {}),
        signal: abort.signal,
      });
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.startsWith('text/event-stream') || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: SerializedError } | null;
        throw new AtlasError(body?.error ?? { name: 'HttpError', code: `HTTP_${response.status}`, message: `The stream could not start (HTTP ${response.status})` });
      }
      await readServerSentEvents(response.body, (event, data) => {
        if (event === 'chunk' || event === 'result' || event === 'error') handler.handle({ type: event, data: JSON.parse(data) } as StreamFrame);
      });
      handler.fail(new AtlasError({ name: 'ConnectionLost', code: 'CONNECTION_LOST', message: 'The stream ended before its result: the host went away.' }));
    })().catch((error: Error) => {
      if (error instanceof AtlasError) return handler.fail(error);
      if (abort.signal.aborted) return handler.fail(cancelledError());
      handler.fail(new AtlasError({ name: 'ConnectionLost', code: 'CONNECTION_LOST', message: `The Bedrock Atlas host is not reachable (${error.message}).` }));
    });
    /** Closing the request cancels upstream too, but nothing more can come back. */
    const close = () => {
      if (handler.settled) return;
      abort.abort();
      handler.fail(cancelledError());
    };
    return {
      result,
      cancel: () => {
        if (handler.settled || cancelling) return;
        cancelling = true;
        void fetch(`${baseUrl}/api/stream-cancel`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ streamId }),
        })
          .then((response) => response.json() as Promise<{ ok?: boolean; value?: { cancelled?: boolean } }>)
          // Not cancelled: the host has not registered the stream yet (its request is still on the way), or it ended.
          .then((answer) => answer.value?.cancelled !== true && close(), close);
      },
    };
  });
}
