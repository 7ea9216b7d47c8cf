export const EXIT_INTERRUPTED = 130;

/** Ctrl+C (or SIGTERM) aborts the work once; `release` stops listening. */
export function interruptible(): { signal: AbortSignal; release: () => void } {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { signal: abort.signal, release: () => (process.off('SIGINT', stop), process.off('SIGTERM', stop)) };
}
