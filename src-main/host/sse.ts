import type { ServerResponse } from 'node:http';
import type { AtlasEvent } from '../../src-shared/events';
import type { FrameSink, StreamFrame } from '../core/api/chunk-pump';

/**
 * Server-Sent Events over one response, respecting the socket's backpressure: `write` reports a full buffer and
 * `drain` says when it has room again.
 */

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' };

function frameText(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A stream's frames as SSE: `chunk` any number of times, then exactly one `result` or `error`, then the end. */
export function streamSink(response: ServerResponse): FrameSink {
  const write = (frame: StreamFrame) => {
    if (!response.headersSent) response.writeHead(200, SSE_HEADERS);
    const accepted = response.write(frameText(frame.type, frame.data));
    if (frame.type !== 'chunk') response.end();
    return accepted;
  };
  return {
    write: (frame) => (response.destroyed || response.writableEnded ? true : write(frame)),
    onDrain: (listener) => {
      response.on('drain', listener);
      return () => response.off('drain', listener);
    },
    get closed() {
      return response.destroyed || response.writableEnded;
    },
  };
}

/**
 * The broadcast event stream of one client. While its socket is busy, events wait in a bounded queue; a client
 * that falls too far behind is disconnected, and on reconnecting it is sent the current state first, so it
 * never misses anything and never makes the host hold unbounded memory.
 */
export class EventClient {
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  private busy = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly maxQueuedBytes = 8 * 1024 * 1024,
  ) {
    response.writeHead(200, { ...SSE_HEADERS, connection: 'keep-alive' });
    response.on('drain', () => this.flush());
  }

  send(event: AtlasEvent): void {
    this.write(frameText(event.type, event.payload));
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  private write(text: string): void {
    if (this.response.destroyed || this.response.writableEnded) return;
    if (!this.busy && this.queue.length === 0) {
      this.busy = !this.response.write(text);
      return;
    }
    this.queue.push(text);
    this.queuedBytes += text.length;
    if (this.queuedBytes > this.maxQueuedBytes) {
      this.queue.length = 0;
      this.response.destroy();
    }
  }

  private flush(): void {
    this.busy = false;
    while (!this.busy && this.queue.length > 0) {
      const text = this.queue.shift()!;
      this.queuedBytes -= text.length;
      this.busy = !this.response.write(text);
    }
  }
}
