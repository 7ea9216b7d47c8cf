import { join } from 'node:path';
import { LatencyHistory, type SampleRow } from '../../src-main/core/latency/history-store';
import { openHistoryDatabase } from '../../src-main/core/storage/history-database';

/**
 * A week of hourly latency runs written into a host's history, as the lab itself writes them (LatencyHistory, the
 * host's own DuckDB file, taken while the host has released it), so the time-of-day heatmap has a week to show: a spec
 * cannot wait a week. First tokens are slower in the route's busy hours (weekdays, 13:00 to 22:00 UTC, when North
 * America works), faster at night and on weekends, with a spread around each hour; a few night hours have no run.
 */

export interface SeededRoute {
  target: string;
  modelId: string;
  invokeId: string;
  region: string;
  kind: 'on-demand' | 'geo-profile' | 'global-profile';
}

const HOUR_MS = 3_600_000;
const SAMPLES_PER_RUN = 6;

/** A deterministic spread in [-1, 1) per hour and sample. */
const spread = (hour: number, sample: number) => ((Math.sin(hour * 12.9898 + sample * 78.233) * 43_758.5453) % 1) * 2 - 1;

function ttftAt(instant: number, sample: number): number {
  const date = new Date(instant);
  const [weekday, hour] = [date.getUTCDay(), date.getUTCHours()];
  const workday = weekday >= 1 && weekday <= 5;
  const busy = workday && hour >= 13 && hour < 22;
  const base = busy ? 560 + 120 * Math.sin(((hour - 13) / 9) * Math.PI) : workday ? 410 : 360;
  return Math.round(base + 45 * spread(instant / HOUR_MS, sample));
}

/** Writes the runs of the 7 days before `now` into the history under `home` (the host's HOME). */
export async function seedWeekOfRuns(home: string, route: SeededRoute, now = Date.now()): Promise<number> {
  const db = await openHistoryDatabase({ dataDir: join(home, '.local', 'share', 'bedrock-atlas'), lockWaitMs: 30_000 });
  try {
    const history = new LatencyHistory(async () => db, () => 1_000_000);
    const start = Math.floor((now - 7 * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;
    let runs = 0;
    for (let hourStart = start; hourStart < Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS; hourStart += HOUR_MS) {
      const hour = new Date(hourStart).getUTCHours();
      // Nobody ran the lab in a few of the small hours.
      if (hour >= 4 && hour < 7 && spread(hourStart / HOUR_MS, 99) > -0.2) continue;
      const runId = `seeded-${hourStart}`;
      const sentAt = hourStart + 17 * 60_000;
      const samples: SampleRow[] = Array.from({ length: SAMPLES_PER_RUN }, (_, sample) => {
        const ttftMs = ttftAt(hourStart, sample);
        return {
          runId,
          at: sentAt + sample * 1500 + 900,
          target: route.target,
          modelId: route.modelId,
          routeKey: route.region,
          region: route.region,
          invokeId: route.invokeId,
          kind: route.kind,
          errorClass: null,
          ttftMs,
          e2eMs: ttftMs + 320,
          interTokenMs: 20,
          outputTokens: 16,
          serverLatencyMs: ttftMs + 250,
          largestGapMs: 30,
          reusedSocket: sample > 0,
          requestId: null,
          sentAt: sentAt + sample * 1500,
        };
      });
      history.addSamples(samples);
      const saved = await history.saveRun({ id: runId, kind: 'latency', startedAt: new Date(sentAt).toISOString(), finishedAt: new Date(sentAt + 10_000).toISOString(), target: route.target, status: 'completed', report: {} });
      if (!saved) throw new Error(`the history under ${home} did not keep the seeded run ${runId}`);
      runs++;
    }
    return runs;
  } finally {
    await db.close();
  }
}
