import type { MonitorConfig } from '../../../../src-shared/fleet/monitor-config';
import type { JobClock } from '../../attribution/clock';
import type { FleetSink, FleetSinkStatus } from '../cycle';
import { MonitorBudget } from './budget';
import type { FleetMeasurer } from './feature';
import type { MonitorPlan } from './plan';
import { measureCycle, type CycleSummary } from './run-cycle';
import { runOnSchedule, type Slot } from './scheduler';

/**
 * The monitor's life: cycles on the schedule (or one, `--once`), each within the budgets, one structured log line
 * per cycle; then, once told to stop, the sinks flushed within a bound. Stopping comes in two steps, so a SIGTERM
 * never cuts a measured request short yet the exit stays bounded: `stopSending` lets the requests in flight finish
 * and starts no new one; `abortRequests` (the caller fires it at its deadline) aborts what is still in flight.
 */

export interface MonitorParts {
  config: Pick<MonitorConfig, 'measure' | 'schedule' | 'budgets'>;
  plan: MonitorPlan;
  vantage: string;
  measurer: FleetMeasurer;
  sinks: readonly FleetSink[];
  clock: JobClock;
  random: () => number;
  /** One JSON line per call (stderr). */
  writeLine: (line: string) => void;
  /** Scrubs anything shaped like a secret from a line before it is written. */
  redact: (text: string) => string;
}

export interface MonitorControl {
  stopSending: AbortSignal;
  abortRequests: AbortSignal;
}

export interface CycleLogLine {
  ts: string;
  level: 'info' | 'warn' | 'error';
  event: 'cycle';
  cycle: number;
  runIds: string[];
  vantage: string;
  status: CycleSummary['status'] | 'skipped';
  requests: number;
  ok: number;
  errors: number;
  durationMs: number;
  costUsd: number;
  /** Why the budgets trimmed or skipped the cycle. */
  budget?: string;
  sinks: FleetSinkStatus[];
}

/** A line of the monitor's log: JSON, with anything shaped like a secret removed. */
export function logLine(parts: Pick<MonitorParts, 'writeLine' | 'redact' | 'clock'>, fields: Record<string, unknown>): void {
  const { ts, level, event, ...rest } = fields;
  parts.writeLine(parts.redact(JSON.stringify({ ts: ts ?? new Date(parts.clock.now()).toISOString(), level: level ?? 'info', event, ...rest })));
}

export class Monitor {
  private readonly budget: MonitorBudget;
  private cycles = 0;

  constructor(private readonly parts: MonitorParts) {
    this.budget = new MonitorBudget(parts.config.budgets, parts.config.measure);
  }

  /** One cycle within the budgets, logged; answers its summary (null when the budgets skipped it). */
  async cycle(control: MonitorControl, slot: Slot = { index: this.cycles, plannedAt: this.parts.clock.now() }): Promise<CycleSummary | null> {
    const { parts } = this;
    this.cycles++;
    const started = parts.clock.now();
    const allowance = this.budget.allow(parts.plan, started);
    const base = { event: 'cycle', cycle: slot.index, vantage: parts.vantage };
    if (allowance.runs === 0) {
      logLine(parts, { ...base, level: 'warn', runIds: [], status: 'skipped', requests: 0, ok: 0, errors: 0, durationMs: 0, costUsd: 0, budget: allowance.reason, sinks: this.statuses() });
      return null;
    }
    // Counted before sending: what a cycle may send is reserved, so a cycle cut short never lets the next overspend.
    this.budget.record(started, allowance.requests, 0);
    const summary = await measureCycle(
      { config: parts.config, plan: parts.plan, vantage: parts.vantage, measurer: parts.measurer, sinks: parts.sinks, log: (message) => logLine(parts, { level: 'warn', event: 'sink', message }) },
      allowance.runs,
      { signal: control.abortRequests, stopSending: control.stopSending },
    );
    this.budget.record(started, 0, summary.costUsd);
    const line: Omit<CycleLogLine, 'ts'> = {
      ...base,
      event: 'cycle',
      level: summary.status === 'failed' ? 'error' : summary.status === 'ok' && !allowance.reason ? 'info' : 'warn',
      runIds: summary.runIds,
      status: summary.status,
      requests: summary.requests,
      ok: summary.ok,
      errors: summary.errors,
      durationMs: Math.round(parts.clock.now() - started),
      costUsd: Number(summary.costUsd.toFixed(6)),
      ...(allowance.reason ? { budget: `trimmed to ${allowance.runs} of ${parts.config.measure.runs} runs: ${allowance.reason}` } : {}),
      sinks: this.statuses(),
    };
    logLine(parts, line);
    return summary;
  }

  /** Cycles on the schedule until `stopSending` aborts. */
  async run(control: MonitorControl): Promise<void> {
    await runOnSchedule({
      schedule: this.parts.config.schedule,
      clock: this.parts.clock,
      random: this.parts.random,
      signal: control.stopSending,
      runCycle: async (slot) => {
        await this.cycle(control, slot);
      },
      onMissed: (slot) => logLine(this.parts, { level: 'warn', event: 'missed', cycle: slot.index, plannedAt: new Date(slot.plannedAt).toISOString() }),
    });
  }

  private statuses(): FleetSinkStatus[] {
    return this.parts.sinks.map((sink) => sink.status());
  }
}

/**
 * Flushes and closes every sink at once, within `signal`: a sink still flushing when it aborts is left (its spool
 * keeps what it could not send, for the next start), so stopping never waits on an endpoint that is away.
 */
export async function flushSinks(sinks: readonly FleetSink[], signal: AbortSignal, log: (sink: string, error: string) => void): Promise<void> {
  const bounded = (work: () => Promise<void>) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      work().then(done, done);
    });
  await Promise.all(
    sinks.map((sink) =>
      bounded(async () => {
        try {
          await sink.flush(signal);
          await sink.close();
        } catch (error) {
          log(sink.name, (error as Error).message);
        }
      }),
    ),
  );
}
