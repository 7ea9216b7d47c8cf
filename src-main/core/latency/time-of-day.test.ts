import { afterEach, describe, expect, it } from 'vitest';
import { openHistoryDatabase, type HistoryDatabase } from '../storage/history-database';
import { LatencyHistory, type SampleRow } from './history-store';
import { offsetChanges, timeOfDay } from './time-of-day';

/** The heatmap's hours of the week in the caller's zone, daylight saving time included, from stored samples. */

const databases: HistoryDatabase[] = [];
afterEach(() => databases.splice(0).forEach((db) => db.close()));

function sample(at: string, ttftMs: number | null, overrides: Partial<SampleRow> = {}): SampleRow {
  const instant = Date.parse(at);
  return {
    runId: 'run-1', at: instant + 500, target: 'nova', modelId: 'amazon.nova-lite-v1:0', routeKey: 'us-east-1', region: 'us-east-1',
    invokeId: 'amazon.nova-lite-v1:0', kind: 'on-demand', errorClass: null, ttftMs, e2eMs: ttftMs, interTokenMs: null, outputTokens: 5,
    serverLatencyMs: null, largestGapMs: null, reusedSocket: true, requestId: `r-${at}-${ttftMs}`, sentAt: instant, ...overrides,
  };
}

async function history(samples: SampleRow[]): Promise<HistoryDatabase> {
  const db = await openHistoryDatabase({ dataDir: null });
  databases.push(db);
  const store = new LatencyHistory(async () => db, () => 1_000_000);
  store.addSamples(samples);
  expect(await store.saveRun({ id: 'run-1', kind: 'latency', startedAt: '2026-03-01T00:00:00.000Z', finishedAt: null, target: 'nova', status: 'completed', report: {} })).toBe(true);
  return db;
}

describe('time-zone offsets', () => {
  it('finds Paris moving to summer time at 01:00 UTC on the last Sunday of March 2026, to the minute', () => {
    const { offset, changes } = offsetChanges('Europe/Paris', Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-04-01T00:00:00Z'));
    expect(offset).toBe(60);
    expect(changes).toEqual([{ at: Date.parse('2026-03-29T01:00:00Z'), offset: 120 }]);
  });

  it('keeps half- and quarter-hour zones as they are, and UTC without a change', () => {
    const year = [Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z')] as const;
    expect(offsetChanges('Asia/Kolkata', ...year)).toEqual({ offset: 330, changes: [] });
    expect(offsetChanges('Asia/Kathmandu', ...year)).toEqual({ offset: 345, changes: [] });
    expect(offsetChanges('UTC', ...year)).toEqual({ offset: 0, changes: [] });
    expect(offsetChanges('America/New_York', ...year).changes).toHaveLength(2);
  });
});

describe('the time-of-day heatmap', () => {
  it('puts each sample in its local hour of the week, either side of a DST change, with the p50 and the count per cell', async () => {
    const db = await history([
      // Saturday 23:30 UTC: Sunday 00:30 in Paris (winter time, +1).
      sample('2026-03-28T23:30:00Z', 100),
      sample('2026-03-28T23:40:00Z', 300),
      sample('2026-03-28T23:50:00Z', 200),
      // Sunday 12:00 UTC, after the change: 14:00 in Paris (summer time, +2).
      sample('2026-03-29T12:00:00Z', 50),
      // A failed request and one without a TTFT are not in the figures.
      sample('2026-03-29T12:10:00Z', null, { errorClass: 'throttled' }),
      sample('2026-03-29T12:20:00Z', null),
    ]);
    const paris = await timeOfDay(db, { timeZone: 'Europe/Paris' });
    expect(paris.routes).toEqual([
      {
        region: 'us-east-1',
        invokeId: 'amazon.nova-lite-v1:0',
        kind: 'on-demand',
        samples: 4,
        cells: [
          { weekday: 7, hour: 0, p50TtftMs: 200, samples: 3 },
          { weekday: 7, hour: 14, p50TtftMs: 50, samples: 1 },
        ],
      },
    ]);
    const utc = await timeOfDay(db, { timeZone: 'UTC' });
    expect(utc.routes[0]?.cells.map(({ weekday, hour }) => [weekday, hour])).toEqual([
      [6, 23],
      [7, 12],
    ]);
    const kathmandu = await timeOfDay(db, { timeZone: 'Asia/Kathmandu' });
    // 23:30 UTC + 5:45 = 05:15 and 23:50 + 5:45 = 05:35 on Sunday; 12:00 + 5:45 = 17:45.
    expect(kathmandu.routes[0]?.cells.map(({ weekday, hour, samples }) => [weekday, hour, samples])).toEqual([
      [7, 5, 3],
      [7, 17, 1],
    ]);
  });

  it('narrows to a target, regions and a window, and answers no routes when nothing matches', async () => {
    const db = await history([
      sample('2026-03-28T10:00:00Z', 100),
      sample('2026-03-28T10:05:00Z', 400, { region: 'eu-west-1', routeKey: 'eu-west-1', invokeId: 'eu.amazon.nova-lite-v1:0', kind: 'geo-profile' }),
    ]);
    const regions = await timeOfDay(db, { timeZone: 'UTC', regions: ['eu-west-1'] });
    expect(regions.routes.map((route) => [route.region, route.invokeId, route.kind])).toEqual([['eu-west-1', 'eu.amazon.nova-lite-v1:0', 'geo-profile']]);
    expect((await timeOfDay(db, { timeZone: 'UTC', target: 'eu.amazon.nova-lite-v1:0' })).routes).toHaveLength(1);
    expect((await timeOfDay(db, { timeZone: 'UTC', target: 'amazon.nova-lite-v1:0' })).routes).toHaveLength(2);
    expect(await timeOfDay(db, { timeZone: 'UTC', sinceMs: Date.parse('2026-03-29T00:00:00Z') })).toEqual({ timeZone: 'UTC', routes: [] });
    expect(await timeOfDay(db, { timeZone: 'UTC', target: 'unknown-model' })).toEqual({ timeZone: 'UTC', routes: [] });
  });

  it('an empty history answers no routes', async () => {
    const db = await openHistoryDatabase({ dataDir: null });
    databases.push(db);
    expect(await timeOfDay(db, { timeZone: 'Europe/Paris' })).toEqual({ timeZone: 'Europe/Paris', routes: [] });
  });
});
