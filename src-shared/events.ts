import type { AttributionJob, CatalogSnapshot, FleetStatus, FleetSyncProgress } from './contract';
import type { RegionError } from './catalog/document';

/**
 * Events pushed from the main process to the renderer (IPC `webContents.send`, or Server-Sent Events on the
 * browser host). Both transports deliver `{ type, payload }` with these exact shapes.
 */
export interface RegionProgress {
  scanId: string;
  region: string;
  phase: 'started' | 'done' | 'failed';
  modelCount?: number;
  profileCount?: number;
  durationMs?: number;
  error?: RegionError;
  /** Regions finished so far (done or failed) and the total in this scan. */
  completed: number;
  total: number;
  /** Regions of this scan still waiting for an answer, so a slow or hanging region is named while it holds on. */
  waiting: string[];
}

/**
 * Whether AWS (or the endpoint given instead) answered the app's latest call, whichever feature made it: any HTTP
 * answer, even an error, is an answer; a connection that cannot be made or drops is not. Sent when it changes.
 */
export interface Reachability {
  answering: boolean;
  /** Why not, in a few words (`ECONNREFUSED to 127.0.0.1:4010`); null while answering. */
  cause: string | null;
  at: string;
}

export interface AtlasEvents {
  'aws.reachability': Reachability;
  'catalog.progress': RegionProgress;
  'catalog.scanFinished': { scanId: string; cancelled: boolean; okRegions: number; failedRegions: number };
  'catalog.updated': CatalogSnapshot;
  /** One region of a quota refresh started, answered or failed (the same shape as the catalog scan's). */
  'quotas.progress': RegionProgress;
  /** An attribution job made a pass, finished or was cancelled (its counts, problems and next pass). */
  'attribution.progress': AttributionJob;
  /** A team-store sync listed a page or finished a part (counts so far). */
  'fleet.sync.progress': FleetSyncProgress;
  /** The team data changed: a sync ended (completed, partial, cancelled or unreachable); what `fleetStatus` answers now. */
  'fleet.status': FleetStatus;
}

export type EventName = keyof AtlasEvents;
export type AtlasEvent = { [E in EventName]: { type: E; payload: AtlasEvents[E] } }[EventName];

/** Every event name, as a record the compiler checks against AtlasEvents: a missing or extra name breaks the build. */
const EVENT_NAME_SET = { 'aws.reachability': true, 'catalog.progress': true, 'catalog.scanFinished': true, 'catalog.updated': true, 'quotas.progress': true, 'attribution.progress': true, 'fleet.sync.progress': true, 'fleet.status': true } as const satisfies Record<EventName, true>;
type EventNameSetIsExact = [keyof typeof EVENT_NAME_SET] extends [EventName] ? true : never;
const eventNameSetIsExact: EventNameSetIsExact = true;
void eventNameSetIsExact;

export const EVENT_NAMES = Object.keys(EVENT_NAME_SET) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(EVENT_NAME_SET, name);
}

export type EventListener<E extends EventName> = (payload: AtlasEvents[E]) => void;
export type Unsubscribe = () => void;

export interface AtlasEventSource {
  on<E extends EventName>(event: E, listener: EventListener<E>): Unsubscribe;
}
