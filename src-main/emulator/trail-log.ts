import { z } from 'zod';
import { seededFraction } from './random';
import type { LookupEvent } from './trail-events';

/**
 * CloudTrail's event history as the emulator keeps it: one event per Bedrock call, in the region called, kept 90
 * days. Like AWS's history it outlives a change of scenario (only a reset clears it), so a test can make its calls
 * and then change what LookupEvents does with them. The scenario's `cloudtrail` acts when events are looked up: an
 * event is visible only `delayMs` after its call ended (CloudTrail delivers events minutes after the call), and a
 * seeded share of events, chosen by request id, is answered twice (CloudTrail may deliver an event more than once)
 * or never found.
 */

const RegionOrAny = z.string().min(1);
const Fraction = z.number().min(0).max(1);

export const CloudTrailScenarioSchema = z
  .object({
    /** How long after a call ends its event becomes visible to LookupEvents (real CloudTrail: minutes). */
    delayMs: z.number().nonnegative().max(24 * 60 * 60 * 1000).default(0),
    /** LookupEvents calls per second per region before ThrottlingException (AWS: 2); bursts up to the same number. */
    ratePerSecond: z.number().positive().max(10_000).default(2),
    /** Regions where the caller lacks cloudtrail:LookupEvents: AccessDeniedException. */
    denied: z.array(RegionOrAny).default([]),
    /** Regions where the event history cannot be read: UnsupportedOperationException. */
    unavailable: z.array(RegionOrAny).default([]),
    /** Every event answered twice (true), or a seeded share of them. */
    duplicateEvents: z.union([z.boolean(), Fraction]).default(false),
    /** Events never found: a seeded share of all, or the calls with these request ids. */
    dropRequestIds: z.union([Fraction, z.array(z.string().min(1))]).optional(),
    /** At most this many events a page, whatever MaxResults asks (AWS: 50). */
    pageSize: z.number().int().positive().max(50).optional(),
  })
  .strict();
export type CloudTrailScenario = z.output<typeof CloudTrailScenarioSchema>;

/** LookupEvents reaches 90 days back. */
export const TRAIL_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
/** Enough for long load runs; the oldest events go first past it. */
export const TRAIL_MAX_EVENTS = 200_000;

interface StoredEvent {
  /** The order the emulator recorded events in, which breaks ties between events of the same second. */
  sequence: number;
  requestId: string;
  /** The emulator's clock when the call ended, epoch milliseconds. */
  endedAt: number;
  event: LookupEvent;
}

/** An event as one lookup sees it. */
export interface VisibleEvent {
  sequence: number;
  /** 2 when CloudTrail answers it twice. */
  copies: 1 | 2;
  event: LookupEvent;
}

export class TrailLog {
  private readonly regions = new Map<string, StoredEvent[]>();
  private sequence = 0;
  private count = 0;

  constructor(private readonly limits = { retentionMs: TRAIL_RETENTION_MS, maxEvents: TRAIL_MAX_EVENTS }) {}

  /** Keeps the event of a call that ended at `endedAt` (the emulator's clock). */
  record(region: string, requestId: string, event: LookupEvent, endedAt: number): void {
    const events = this.regions.get(region) ?? [];
    events.push({ sequence: this.sequence++, requestId, endedAt, event });
    this.regions.set(region, events);
    this.count++;
    this.forgetOld(endedAt);
  }

  /** The events of a region visible at `now` under the scenario, newest first (by event time, then as recorded). */
  visible(region: string, now: number, scenario: CloudTrailScenario, seed: number): VisibleEvent[] {
    const { delayMs, dropRequestIds, duplicateEvents } = scenario;
    const droppedIds = Array.isArray(dropRequestIds) ? new Set(dropRequestIds) : null;
    const dropped = (requestId: string) =>
      droppedIds ? droppedIds.has(requestId) : typeof dropRequestIds === 'number' && seededFraction(seed, `cloudtrail:drop:${requestId}`) < dropRequestIds;
    const twice = (requestId: string) =>
      typeof duplicateEvents === 'boolean' ? duplicateEvents : seededFraction(seed, `cloudtrail:duplicate:${requestId}`) < duplicateEvents;
    const oldest = now - this.limits.retentionMs;
    return (this.regions.get(region) ?? [])
      .filter((stored) => stored.endedAt + delayMs <= now && stored.event.EventTime * 1000 >= oldest && !dropped(stored.requestId))
      .map((stored): VisibleEvent => ({ sequence: stored.sequence, copies: twice(stored.requestId) ? 2 : 1, event: stored.event }))
      .sort((a, b) => b.event.EventTime - a.event.EventTime || b.sequence - a.sequence);
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.regions.clear();
    this.count = 0;
  }

  private forgetOld(now: number): void {
    const oldest = now - this.limits.retentionMs;
    for (const events of this.regions.values()) {
      let drop = 0;
      while (drop < events.length && events[drop]!.event.EventTime * 1000 < oldest) drop++;
      events.splice(0, drop);
      this.count -= drop;
    }
    while (this.count > this.limits.maxEvents) {
      let oldestList: StoredEvent[] | null = null;
      for (const events of this.regions.values()) {
        if (events.length > 0 && (!oldestList || events[0]!.sequence < oldestList[0]!.sequence)) oldestList = events;
      }
      if (!oldestList) break;
      oldestList.shift();
      this.count--;
    }
  }
}
