import { createContext, useContext, useState, type ReactNode } from 'react';
import { createFleetWork, type FleetWork } from '../fleet/fleet-work';
import { createLatencyWork, type LatencyWork } from '../latency/latency-work';
import { createLoadWork, type LoadWork } from '../load/load-work';
import { createPlaygroundWork, type PlaygroundWork } from '../playground/playground-work';

/**
 * The work a page started and that must outlive the page: the playground's panes (their streams, the
 * conversation they belong to), the latency lab's run and its load run. Made once per app, above the pages, so leaving a page
 * while something streams neither orphans the call nor hides it: coming back shows it still streaming, or how it
 * ended, and what the page does at the end (saving the conversation, showing the run's figures) still happens.
 * A window that closes cancels the streams upstream, as before (the transports do that).
 */

export interface LiveWork {
  playground: PlaygroundWork;
  latency: LatencyWork;
  load: LoadWork;
  /** Whose measurements the latency pages and the matrix's TTFT overlay show (this machine, a team vantage, all). */
  fleet: FleetWork;
}

export function createLiveWork(): LiveWork {
  return { playground: createPlaygroundWork(), latency: createLatencyWork(), load: createLoadWork(), fleet: createFleetWork() };
}

const LiveWorkContext = createContext<LiveWork | null>(null);

export function LiveWorkProvider({ work, children }: { work?: LiveWork; children: ReactNode }) {
  const [own] = useState(() => work ?? createLiveWork());
  return <LiveWorkContext.Provider value={own}>{children}</LiveWorkContext.Provider>;
}

export function useLiveWork(): LiveWork {
  const work = useContext(LiveWorkContext);
  if (!work) throw new Error('useLiveWork needs a LiveWorkProvider');
  return work;
}
