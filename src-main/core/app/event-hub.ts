import type { AtlasEvent } from '../../../src-shared/events';

/** Fans events from the core out to every transport that listens (IPC windows, SSE clients, CLI progress). */
export class EventHub {
  private readonly listeners = new Set<(event: AtlasEvent) => void>();

  emit = (event: AtlasEvent): void => {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed window, a dropped SSE client) must not stop the others.
      }
    }
  };

  subscribe(listener: (event: AtlasEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
