import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * When a measured request was handed to the socket, and on which connection. The SDK hides its ClientRequest, so
 * the request is found through Node's `http.client.request.start` diagnostics channel, published synchronously
 * inside `http.request`, and tied to the measurement that started it by the async context the SDK call runs in.
 * TTFT then counts from the request's `finish` event (its last byte handed to the operating system), not from
 * before the SDK signs and serializes it.
 */

export class RequestTiming {
  /** performance.now() when the request's last byte was handed to the socket. */
  sentAt: number | null = null;
  /** Whether the request went out on a kept-alive connection; null until it has a socket. */
  reusedSocket: boolean | null = null;

  private attached = false;

  /** `now` reads the clock the caller times with (performance.now(), or a test's). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Only the first request counts: a measured call is never retried, so there is no other. */
  attach(request: ClientRequest): void {
    if (this.attached) return;
    this.attached = true;
    // A pooled socket may already be assigned when the channel reports the request.
    if (request.socket) this.reusedSocket = request.reusedSocket;
    else request.once('socket', () => (this.reusedSocket = request.reusedSocket));
    request.once('finish', () => (this.sentAt = this.now()));
  }
}

// Process-wide by nature: the channel is Node's and one subscription serves every measurement, each found by context.
const current = new AsyncLocalStorage<RequestTiming>();
let subscribed = false;

function onRequestStart(message: unknown): void {
  const timing = current.getStore();
  if (timing) timing.attach((message as { request: ClientRequest }).request);
}

/** Runs `send` so that the HTTP request it makes is timed into `timing`. */
export function timedRequest<T>(timing: RequestTiming, send: () => Promise<T>): Promise<T> {
  if (!subscribed) {
    diagnosticsChannel.subscribe('http.client.request.start', onRequestStart);
    subscribed = true;
  }
  return current.run(timing, send);
}
