import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { PaneSession, PaneSnapshot } from './pane-session';

/** One pane's snapshot; the pane re-renders only when its own session changes. */
export function useSession(session: PaneSession): PaneSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** Every pane's snapshot at once (the summary row), as one stable array while nothing changed. */
export function useSessions(sessions: PaneSession[]): PaneSnapshot[] {
  const last = useRef<PaneSnapshot[]>([]);
  const subscribe = useCallback(
    (listener: () => void) => {
      const unsubscribes = sessions.map((session) => session.subscribe(listener));
      return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
    },
    [sessions],
  );
  const read = useCallback(() => {
    const next = sessions.map((session) => session.getSnapshot());
    if (next.length === last.current.length && next.every((snapshot, index) => snapshot === last.current[index])) return last.current;
    last.current = next;
    return next;
  }, [sessions]);
  return useSyncExternalStore(subscribe, read);
}

/** Whether any pane is streaming: the page re-renders when that changes, not at every streamed frame. */
export function useAnyStreaming(sessions: PaneSession[]): boolean {
  const subscribe = useCallback(
    (listener: () => void) => {
      const unsubscribes = sessions.map((session) => session.subscribe(listener));
      return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
    },
    [sessions],
  );
  return useSyncExternalStore(subscribe, () => sessions.some((session) => session.getSnapshot().status === 'streaming'));
}
