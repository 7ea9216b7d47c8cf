import type { LatencyRunCost } from '../../src-shared/contract/latency';
import { DEFAULT_STEP_DURATION_MS, type LoadOffered, type LoadProgress, type LoadRunInput, type LoadRunReport, type LoadRunView } from '../../src-shared/contract/load';
import { LiveStream, type ChunkFold } from '../api/live-stream';
import { Cell } from '../app/cell';
import { DEFAULT_LOAD_OPTIONS, type LoadOptions } from './load-options';

/**
 * What the lab's Load mode keeps while the page is away: the run (its progress keeps arriving), the run shown in the
 * results (the last one that ended, or one reopened from the history), and the form's load fields.
 */

/** A route's latest progress, and when its current level was first seen here (for the time a timed level has run). */
export interface RouteLoadProgress {
  progress: LoadProgress;
  levelSeenAt: number;
}

export type LoadLiveView = Record<string, RouteLoadProgress>;

export type LoadRun = LiveStream<LoadProgress, LoadRunReport, LoadLiveView>;

/** A load run as the results show it: stored or just finished (then with its cost, which the history does not keep). */
export interface ShownLoadRun {
  view: LoadRunView;
  cost: LatencyRunCost | null;
}

/** The levels a run was started with, for the progress of the levels not reached yet. */
export interface StartedLoad {
  levels: LoadOffered[];
  stepDurationMs: number | null;
  stepRequests: number | null;
}

export interface LoadWork {
  run: LoadRun;
  options: Cell<LoadOptions>;
  started: Cell<StartedLoad | null>;
  shown: Cell<ShownLoadRun | null>;
  notice: Cell<string | null>;
}

/** The latest progress per route, noting when a route moved to a new level. */
export function loadProgressFold(now: () => number = Date.now): ChunkFold<LoadProgress, LoadLiveView> {
  return {
    empty: () => ({}),
    add: (view, chunks) => {
      const next = { ...view };
      for (const progress of chunks) {
        const before = next[progress.key];
        const sameLevel = before && before.progress.levelIndex === progress.levelIndex && before.progress.phase === progress.phase;
        next[progress.key] = { progress, levelSeenAt: sameLevel ? before.levelSeenAt : now() };
      }
      return next;
    },
  };
}

export function startedLoad(input: LoadRunInput): StartedLoad {
  const levels: LoadOffered[] = input.load.levels.map((level) => (input.load.mode === 'rate' ? { ratePerSecond: level } : { concurrency: level }));
  return { levels, stepDurationMs: input.stepRequests === undefined ? (input.stepDurationMs ?? DEFAULT_STEP_DURATION_MS) : null, stepRequests: input.stepRequests ?? null };
}

/** A finished run's report as the results read it (the shape a stored run is read back in). */
export function shownFromReport(report: LoadRunReport): ShownLoadRun {
  const { id, startedAt, finishedAt, target, status, load, step, uniquePrompts, slo, budget, stopped, regions } = report;
  return { view: { id, startedAt, finishedAt, target, status, load, step, uniquePrompts, slo, budget, ...(stopped ? { stopped } : {}), regions }, cost: report.cost };
}

export function createLoadWork(): LoadWork {
  return {
    run: new LiveStream(loadProgressFold()),
    options: new Cell<LoadOptions>(DEFAULT_LOAD_OPTIONS),
    started: new Cell<StartedLoad | null>(null),
    shown: new Cell<ShownLoadRun | null>(null),
    notice: new Cell<string | null>(null),
  };
}
