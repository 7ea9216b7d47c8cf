/**
 * How a monitor stops within its bound: at the first stop (SIGTERM, Ctrl+C) no new request starts and the ones in
 * flight may finish; at `requestGraceMs` after it those still in flight are aborted; the sinks' flush ends by
 * `flushByMs` after it. A second stop aborts the requests at once. The bound is kept by these deadlines, whatever
 * the endpoints do.
 */
export class MonitorShutdown {
  private readonly stopping = new AbortController();
  private readonly aborting = new AbortController();
  private readonly flushing = new AbortController();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly bounds: { requestGraceMs: number; flushByMs: number } = { requestGraceMs: 6_000, flushByMs: 9_000 },
  ) {}

  /** Aborted at the first stop: start no new request. */
  get stopSending(): AbortSignal {
    return this.stopping.signal;
  }

  /** Aborted at the request deadline (or a second stop): abort what is in flight. */
  get abortRequests(): AbortSignal {
    return this.aborting.signal;
  }

  /** What a flush is bounded by: `fallbackMs` on a normal end (a `--once` cycle done), the stop's deadline after a stop. */
  flushSignal(fallbackMs: number): AbortSignal {
    return AbortSignal.any([this.flushing.signal, AbortSignal.timeout(fallbackMs)]);
  }

  stop(): void {
    if (this.stopping.signal.aborted) {
      this.aborting.abort();
      return;
    }
    this.stopping.abort();
    this.timers = [
      setTimeout(() => this.aborting.abort(), this.bounds.requestGraceMs),
      setTimeout(() => this.flushing.abort(), this.bounds.flushByMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}
