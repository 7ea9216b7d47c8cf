import { useSyncExternalStore, type ReactNode } from 'react';

/**
 * One rich tooltip for the whole matrix (full ids, names, explanations), instead of a `title` per cell. It lives in
 * a small store so that moving the mouse re-renders the tooltip alone, never the grid.
 */
export interface TooltipContent {
  body: ReactNode;
  /** The hovered element's box in viewport coordinates. */
  anchor: { top: number; left: number; bottom: number; right: number };
}

export interface TooltipStore {
  show: (content: TooltipContent) => void;
  hide: () => void;
  /** Hides a shown tooltip (its anchor moved) but lets a pending one, anchored after the move, appear. */
  hideShown: () => void;
  subscribe: (listener: () => void) => () => void;
  current: () => TooltipContent | null;
}

const SHOW_DELAY_MS = 200;

export function createTooltipStore(): TooltipStore {
  let value: TooltipContent | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  const set = (next: TooltipContent | null) => {
    value = next;
    for (const listener of listeners) listener();
  };
  return {
    show: (content) => {
      clearTimeout(timer);
      // Moving from one cell to the next updates at once; a first hover waits a moment so that sweeping across
      // the matrix does not flash tooltips.
      if (value) set(content);
      else timer = setTimeout(() => set(content), SHOW_DELAY_MS);
    },
    hide: () => {
      clearTimeout(timer);
      if (value) set(null);
    },
    hideShown: () => {
      if (value) set(null);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    current: () => value,
  };
}

const WIDTH = 360;

export function GridTooltip({ store }: { store: TooltipStore }) {
  const content = useSyncExternalStore(store.subscribe, store.current);
  if (!content) return null;
  const { anchor } = content;
  // Below the hovered element, or above it near the bottom of the window; never past the right edge.
  const below = anchor.bottom + 150 < window.innerHeight;
  const left = Math.max(8, Math.min(anchor.left, window.innerWidth - WIDTH - 8));
  const style = below ? { top: anchor.bottom + 6, left } : { bottom: window.innerHeight - anchor.top + 6, left };
  return (
    <div className="grid-tooltip" role="tooltip" data-testid="matrix-tooltip" style={{ ...style, maxWidth: WIDTH }}>
      {content.body}
    </div>
  );
}
