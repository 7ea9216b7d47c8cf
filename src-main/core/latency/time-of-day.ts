import type { TimeOfDayHeatmap, TimeOfDayRoute } from '../../../src-shared/contract/attribution';
import type { HistoryDatabase } from '../storage/history-database';
import { SCHEMA } from './history-store';
import { round } from './stats';

/**
 * When a route is slow: p50 TTFT per hour of the week (ISO weekday x local hour) and route, from every stored
 * successful sample of latency runs (load runs' samples measure the load they were put under), in the caller's zone. Read only. DuckDB does the grouping and the medians over the raw
 * samples; the local time is each sample's UTC time plus the zone's offset at that instant, the offsets (and their
 * changes, daylight saving time) found with Intl in JavaScript and handed to SQL as bound values, so neither DuckDB's
 * ICU extension nor the machine's own zone is needed.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The zone's UTC offset in whole minutes at an instant (Europe/Paris in July: 120). */
export function offsetMinutes(formatter: Intl.DateTimeFormat, instant: number): number {
  const parts = Object.fromEntries(formatter.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((local - Math.floor(instant / 1000) * 1000) / MINUTE_MS);
}

export function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
}

/**
 * The zone's offsets over [from, to]: the offset at `from`, then each change with the instant it takes effect (to the
 * minute). Days are stepped through and a change found in one is narrowed down by halving: no zone changes its offset
 * twice in a day.
 */
export function offsetChanges(timeZone: string, from: number, to: number): { offset: number; changes: { at: number; offset: number }[] } {
  const formatter = zoneFormatter(timeZone);
  const first = offsetMinutes(formatter, from);
  const changes: { at: number; offset: number }[] = [];
  let current = first;
  for (let day = from; day < to; day += DAY_MS) {
    const next = Math.min(day + DAY_MS, to);
    const offset = offsetMinutes(formatter, next);
    if (offset === current) continue;
    let low = day;
    let high = next;
    while (high - low > MINUTE_MS) {
      const middle = Math.floor((low + high) / 2 / MINUTE_MS) * MINUTE_MS;
      if (middle <= low) break;
      if (offsetMinutes(formatter, middle) === current) low = middle;
      else high = middle;
    }
    changes.push({ at: high, offset });
    current = offset;
  }
  return { offset: first, changes };
}

export interface TimeOfDayFilter {
  timeZone: string;
  target?: string;
  regions?: string[];
  /** Samples at or after this instant (epoch ms). */
  sinceMs?: number;
}

export async function timeOfDay(db: HistoryDatabase, filter: TimeOfDayFilter, prepare = true): Promise<TimeOfDayHeatmap> {
  if (prepare) await db.ensureSchema(SCHEMA);
  const values: (string | number)[] = [];
  const bind = (value: string | number) => `$${values.push(value)}`;
  const conditions = ['s.error_class is null', 's.ttft_ms is not null'];
  if (filter.target) {
    const target = bind(filter.target);
    conditions.push(`(s.target = ${target} or s.model_id = ${target} or s.invoke_id = ${target})`);
  }
  if (filter.regions && filter.regions.length > 0) conditions.push(`s.region in (${filter.regions.map(bind).join(', ')})`);
  if (filter.sinceMs !== undefined) conditions.push(`coalesce(s.sent_at, s.measured_at) >= ${bind(new Date(filter.sinceMs).toISOString())}::timestamp`);
  // Load runs drive routes past their quotas on purpose: their latencies say how the route bore the load, not the hour.
  const from = `from latency_samples s join latency_runs r on r.id = s.run_id where r.kind <> 'load' and ${conditions.join(' and ')}`;
  const [span] = await db.all<{ first: string | null; last: string | null }>(
    `select strftime(min(coalesce(s.sent_at, s.measured_at)), '%Y-%m-%dT%H:%M:%S.%gZ') as first, strftime(max(coalesce(s.sent_at, s.measured_at)), '%Y-%m-%dT%H:%M:%S.%gZ') as last ${from}`,
    // A copy: the statement waits in the database's queue while the offsets below are bound.
    [...values],
  );
  if (!span?.first || !span.last) return { timeZone: filter.timeZone, routes: [] };
  const { offset, changes } = offsetChanges(filter.timeZone, Date.parse(span.first), Date.parse(span.last));
  const at = 'coalesce(s.sent_at, s.measured_at)';
  // The offset in force at each sample: the first one, then each change from the instant it took effect.
  const offsetSql = changes.length === 0 ? bind(offset) : `case ${[...changes].reverse().map((change) => `when ${at} >= ${bind(new Date(change.at).toISOString())}::timestamp then ${bind(change.offset)}`).join(' ')} else ${bind(offset)} end`;
  const rows = await db.all<{ region: string; invoke_id: string; kind: string; weekday: number; hour: number; p50: number; n: bigint }>(
    `select region, invoke_id, any_value(kind) as kind, isodow(local_at) as weekday, hour(local_at) as hour, quantile_cont(ttft_ms, 0.5) as p50, count(*) as n
     from (select s.region, s.invoke_id, s.kind, s.ttft_ms, ${at} + to_minutes(cast(${offsetSql} as bigint)) as local_at ${from})
     group by region, invoke_id, weekday, hour order by region, invoke_id, weekday, hour`,
    values,
  );
  const routes = new Map<string, TimeOfDayRoute>();
  for (const row of rows) {
    const key = `${row.region}\n${row.invoke_id}`;
    const route = routes.get(key) ?? { region: row.region, invokeId: row.invoke_id, kind: row.kind, samples: 0, cells: [] };
    routes.set(key, route);
    route.samples += Number(row.n);
    route.cells.push({ weekday: Number(row.weekday), hour: Number(row.hour), p50TtftMs: round(row.p50), samples: Number(row.n) });
  }
  return { timeZone: filter.timeZone, routes: [...routes.values()] };
}
