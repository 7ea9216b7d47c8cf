/**
 * The model rows the matrix shows on screen, for overlays that work on what the user is looking at (the "Check my
 * access" overlay asks about these rows only). The grid writes it as it scrolls; a reader subscribes through
 * `useSyncExternalStore`, so a scroll re-renders the reader, never the page.
 */
export interface RowsShown {
  get: () => readonly string[];
  set: (modelIds: readonly string[]) => void;
  subscribe: (listener: () => void) => () => void;
}

export function createRowsShown(): RowsShown {
  let shown: readonly string[] = [];
  const listeners = new Set<() => void>();
  return {
    get: () => shown,
    set: (modelIds) => {
      if (modelIds.length === shown.length && modelIds.every((modelId, index) => modelId === shown[index])) return;
      shown = [...modelIds];
      for (const listener of listeners) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
