import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { LatencyRunStatus, RegionFailure, StreamContext } from '../../../../src-shared/contract';
import {
  DEFAULT_STEP_DURATION_MS,
  LATE_SEND_MS,
  resolveSlo,
  type LoadLevelReport,
  type LoadProgress,
  type LoadRouteReport,
  type LoadRunReport,
  type LoadStopReason,
  type ParsedLoadRunInput,
} from '../../../../src-shared/contract/load';
import type { AwsClientPool } from '../../aws/client-pool';
import { RunCostMeter, requestCost, requestCostBound, type PriceLookup } from '../cost';
import type { LatencyHistory } from '../history-store';
import { measureRequest, RequestAborted, type FailedSample, type MeasuredSample, type RequestPlan } from '../measure-request';
import type { PlannedRoute } from '../plan';
import { LATENCY_PROMPTS } from '../prompts';
import { sampleRowOf } from '../sample-row';
import { NETWORK_FAILURES_TO_STOP, PROGRESS_INTERVAL_MS, ROUTE_FATAL, routeFailure } from '../run';
import { percentile, round } from '../stats';
import { LoadBudget } from './budget';
import type { LoadClock } from './clock';
import { driveClosedLevel, driveOpenLevel, type SendRequest } from './drive-level';
import { findKnee, levelTtftMs, sendDelayMs, summarizeLevel, type LevelRequest } from './level-summary';
import { withNonce } from './nonce';
import { readQuotaLine, type RouteQuotasReader } from './quota-line';

/**
 * A load run: every planned route at once, each through its warm-up and then its levels in order (closed or open
 * loop, see drive-level.ts). Measured requests are never retried: a throttle is counted and the level goes on.
 * The budget is shared by every route; once it refuses a request, no route sends another, the levels in progress
 * end partial and the run says why. A cancel aborts the requests in flight upstream and keeps every finished level
 * (and what the level in progress had measured, marked partial). Progress goes out at most every 50 ms per route,
 * with the route's finished levels whole; samples, levels and the run are stored together once it is over.
 */

export interface LoadRunDependencies {
  clients: AwsClientPool;
  history: LatencyHistory | null;
  /** The price table in force when the run starts: the budget's worst cases, and the run's cost. */
  prices: PriceLookup;
  quotas: RouteQuotasReader;
  clock: LoadClock;
}

export interface PlannedLoad {
  routes: PlannedRoute[];
  unavailable: Record<string, { code: string; message: string }>;
  /** The input tokens of one request (the prompt, and its nonce when prompts are unique). */
  inputTokens: number;
}

/** The progress median covers the level's latest answers only: a long level's progress costs no more than a short one's. */
const PROGRESS_WINDOW = 512;
/** The route's quotas are asked for when the run is over; a Service Quotas that does not answer does not hold the report. */
const QUOTA_WAIT_MS = 15_000;

interface RouteRun {
  planned: PlannedRoute;
  progress: LoadProgress;
  levels: LoadLevelReport[];
  failure: RegionFailure | null;
  networkFailuresInARow: number;
  stopped: { code: string; message: string } | null;
  recentTtfts: number[];
}

function budgetMessage(reason: 'maxRequests' | 'maxCost', input: ParsedLoadRunInput, budget: LoadBudget): string {
  const { requests, spentUsd } = budget.summary();
  return reason === 'maxRequests'
    ? `The budget of ${input.maxRequests} requests was reached: sending stopped there, the level in progress is partial and later levels were not run.`
    : `The budget of $${input.maxCostUsd} was reached (about $${spentUsd.toFixed(4)} spent over ${requests} requests; the next request's worst case did not fit): sending stopped there, the level in progress is partial and later levels were not run.`;
}

function runStatusOf(regions: LoadRunReport['regions'], stoppedEarly: boolean, cancelled: boolean): LatencyRunStatus {
  if (cancelled) return 'cancelled';
  const routes = Object.values(regions);
  const productive = routes.filter((entry): entry is LoadRouteReport => 'levels' in entry && entry.levels.some((level) => level.samples > 0));
  if (productive.length === 0) return 'failed';
  const whole = productive.length === routes.length && productive.every((entry) => entry.levels.every((level) => level.status === 'completed'));
  return whole && !stoppedEarly ? 'completed' : 'partial';
}

export async function runLoad(input: ParsedLoadRunInput, plan: PlannedLoad, { signal, emit }: StreamContext<LoadProgress>, dependencies: LoadRunDependencies): Promise<LoadRunReport> {
  const id = randomUUID();
  const startedAt = new Date().toISOString();
  setMaxListeners(0, signal); // every request in flight listens for the cancel
  const { clients, history, prices, clock } = dependencies;
  const prompt = LATENCY_PROMPTS[input.promptSize];
  const slo = input.slo ? resolveSlo(input.slo) : null;
  const budget = new LoadBudget(input.maxRequests ?? null, input.maxCostUsd ?? null);
  const costs = new RunCostMeter(plan.routes, input.latency);
  const stepDurationMs = input.load.mode === 'rate' || input.stepRequests === undefined ? (input.stepDurationMs ?? DEFAULT_STEP_DURATION_MS) : null;
  // Dollars are reserved only when they are budgeted; the feature refuses a dollar budget on a route of unknown price.
  const worstCase = new Map(plan.routes.map((planned) => [planned.key, input.maxCostUsd === undefined ? 0 : (requestCostBound(prices, planned, input, plan.inputTokens) ?? 0)]));
  const offeredAt = (level: number) => (input.load.mode === 'concurrency' ? { concurrency: level } : { ratePerSecond: level });

  const states: RouteRun[] = plan.routes.map((planned) => ({
    planned,
    progress: { key: planned.key, route: planned.route, levelIndex: 0, levelCount: input.load.levels.length, offered: offeredAt(input.load.levels[0]!), phase: 'warmup', sent: 0, done: 0, errors: 0, throttled: 0, p50TtftMs: null, lateSends: 0, finishedLevels: [] },
    levels: [],
    failure: null,
    networkFailuresInARow: 0,
    stopped: null,
    recentTtfts: [],
  }));

  const dirty = new Set<RouteRun>(states);
  let emitting = Promise.resolve();
  const sendProgress = () => {
    const changed = [...dirty];
    dirty.clear();
    for (const state of changed) {
      const recent = [...state.recentTtfts].sort((a, b) => a - b);
      state.progress.p50TtftMs = recent.length > 0 ? round(percentile(recent, 0.5)) : null;
    }
    const snapshots = changed.map((state) => ({ ...state.progress }));
    emitting = emitting.then(async () => {
      for (const snapshot of snapshots) await emit(snapshot).catch(() => {});
    });
  };
  const ticker = setInterval(sendProgress, PROGRESS_INTERVAL_MS);
  sendProgress();

  /** A measured request of a level: progress, a stopped route, and its sample for the history. */
  const record = (state: RouteRun, levelIndex: number, request: LevelRequest) => {
    const { outcome } = request;
    const { progress, planned } = state;
    progress.done++;
    if (sendDelayMs(request) > LATE_SEND_MS) progress.lateSends++;
    if (outcome.ok) {
      state.recentTtfts.push(levelTtftMs(request)!);
      if (state.recentTtfts.length > PROGRESS_WINDOW) state.recentTtfts.shift();
      state.networkFailuresInARow = 0;
    } else {
      progress.errors++;
      if (outcome.errorClass === 'throttled') progress.throttled++;
      state.networkFailuresInARow = outcome.errorClass === 'network' ? state.networkFailuresInARow + 1 : 0;
      if (state.networkFailuresInARow >= NETWORK_FAILURES_TO_STOP && !state.stopped) {
        const { error } = routeFailure(outcome, planned, clients);
        state.stopped = { code: error.code, message: `Stopped after ${NETWORK_FAILURES_TO_STOP} connection failures in a row. ${error.message}` };
      }
    }
    dirty.add(state);
    history?.addSamples([
      {
        // As every sample: from the request's own send. With the intended send kept beside it, the level's figure
        // (from the schedule) is this plus the wait.
        ...sampleRowOf(outcome, planned, { runId: id, target: input.target, at: clock.epochMs(request.endedAtMs) }),
        levelIndex,
        scheduledAt: request.scheduledAtMs === null ? null : clock.epochMs(request.scheduledAtMs),
      },
    ]);
  };

  /** The next request's sender, once the route is alive and the budget has room for it. */
  const admitFor = (state: RouteRun, requestPlan: RequestPlan, levelIndex: number | null) => (): SendRequest | { stop: LoadStopReason } => {
    if (state.stopped) return { stop: 'routeFailed' };
    const reservation = budget.admit(worstCase.get(state.planned.key) ?? 0);
    if (typeof reservation === 'string') return { stop: reservation };
    if (levelIndex !== null) {
      state.progress.sent++;
      dirty.add(state);
    }
    return async (scheduledAtMs) => {
      let outcome: MeasuredSample | FailedSample;
      try {
        outcome = await measureRequest({ ...requestPlan, prompt: input.uniquePrompts ? withNonce(prompt) : prompt }, signal, clock);
      } catch (error) {
        // A cancelled request may have been billed for part of its work: its worst case stays spent.
        budget.settle(reservation, reservation.usd);
        throw error;
      }
      const request: LevelRequest = { outcome, scheduledAtMs, endedAtMs: clock.now() };
      budget.settle(reservation, requestCost(prices, state.planned, input.latency, outcome) ?? reservation.usd);
      costs.record(state.planned.key, outcome);
      if (levelIndex !== null) record(state, levelIndex, request);
      return request;
    };
  };

  const runRoute = async (state: RouteRun) => {
    const { route } = state.planned;
    const requestPlan: RequestPlan = {
      client: await clients.bedrockRuntime(route.callRegion, { retries: false, streaming: true }),
      invokeId: route.invokeId,
      prompt,
      maxTokens: input.maxTokens,
      latency: input.latency,
      timeoutMs: input.requestTimeoutMs,
    };
    try {
      for (let index = 0; index < input.warmup; index++) {
        const admitted = admitFor(state, requestPlan, null)();
        if ('stop' in admitted) return;
        const { outcome } = await admitted(null);
        if (!outcome.ok && ROUTE_FATAL.has(outcome.errorClass)) {
          state.failure = routeFailure(outcome, state.planned, clients);
          return;
        }
      }
      for (const [index, level] of input.load.levels.entries()) {
        if (signal.aborted || budget.exhausted() || state.stopped) break;
        Object.assign(state.progress, { levelIndex: index, offered: offeredAt(level), phase: 'running', sent: 0, done: 0, errors: 0, throttled: 0, lateSends: 0 });
        state.recentTtfts = [];
        dirty.add(state);
        if (input.load.mode === 'concurrency' && input.warmup > 0) {
          // The level's connections opened before it starts, so no measured request pays a handshake.
          const pool = clients.runtimeConnections(route.callRegion);
          const endpoint = await clients.runtimeEndpoint(route.callRegion);
          await Promise.all(Array.from({ length: level }, () => pool.warmUp(endpoint, Math.min(input.requestTimeoutMs, 10_000))));
        }
        const sender = { clock, signal, admit: admitFor(state, requestPlan, index) };
        const driven =
          input.load.mode === 'concurrency'
            ? await driveClosedLevel(sender, { concurrency: level, stepRequests: input.stepRequests ?? null, stepDurationMs })
            : await driveOpenLevel(sender, { ratePerSecond: level, arrivals: input.load.arrivals, seed: input.load.seed + index, stepDurationMs: stepDurationMs!, maxInFlight: input.maxInFlight });
        // A level that could not send anything (the budget ran out just before it) has nothing to show.
        if (driven.requests.length === 0 && driven.stoppedBy !== null) break;
        const summary = summarizeLevel(
          {
            index,
            offered: offeredAt(level),
            startedAtMs: driven.startedAtMs,
            startedAtEpochMs: clock.epochMs(driven.startedAtMs),
            scheduledDurationMs: input.load.mode === 'rate' ? stepDurationMs : null,
            arrivals: input.load.mode === 'rate' ? input.load.arrivals : null,
            requests: driven.requests,
            stoppedBy: driven.stoppedBy ?? (state.stopped ? 'routeFailed' : null),
          },
          slo,
        );
        state.levels.push(summary);
        state.progress.finishedLevels = [...state.levels];
        dirty.add(state);
      }
    } catch (error) {
      if (!(error instanceof RequestAborted)) throw error;
    } finally {
      state.progress.phase = state.failure ? 'failed' : 'done';
      dirty.add(state);
    }
  };

  try {
    await Promise.all(states.map(runRoute));
  } finally {
    clearInterval(ticker);
    sendProgress();
    await emitting;
  }

  const quotaSignal = AbortSignal.timeout(QUOTA_WAIT_MS);
  const routeReports = await Promise.all(
    states.map(async (state): Promise<[string, LoadRouteReport | RegionFailure]> => {
      if (state.failure) return [state.planned.key, state.failure];
      if (state.stopped && state.levels.length === 0) return [state.planned.key, { error: state.stopped }];
      const quota = await readQuotaLine(dependencies.quotas, { modelId: state.planned.resolved.modelId, route: state.planned.route }, { inputTokens: plan.inputTokens, maxTokens: input.maxTokens }, (text) => clients.redact(text), quotaSignal);
      return [state.planned.key, { route: state.planned.route, levels: state.levels, knee: findKnee(state.levels), quota }];
    }),
  );
  const exhausted = budget.exhausted();
  const regions = { ...Object.fromEntries(Object.entries(plan.unavailable).map(([key, error]) => [key, { error }])), ...Object.fromEntries(routeReports) };
  const report: LoadRunReport = {
    id,
    startedAt,
    finishedAt: new Date().toISOString(),
    target: input.target,
    load: input.load,
    step: stepDurationMs === null ? { requests: input.stepRequests! } : { durationMs: stepDurationMs },
    options: { warmup: input.warmup, promptSize: input.promptSize, maxTokens: input.maxTokens, latency: input.latency, autoProfile: input.autoProfile, maxInFlight: input.maxInFlight },
    uniquePrompts: input.uniquePrompts,
    slo,
    budget: { maxRequests: input.maxRequests ?? null, maxCostUsd: input.maxCostUsd ?? null },
    ...(exhausted ? { stopped: { reason: exhausted, message: budgetMessage(exhausted, input, budget) } } : {}),
    status: runStatusOf(regions, exhausted !== null, signal.aborted),
    regions,
    stored: false,
    cost: costs.summary(prices),
  };
  if (history) {
    const modelIds = Object.fromEntries(plan.routes.map((planned) => [planned.key, planned.resolved.modelId]));
    report.stored = await history
      .saveRun({ id, kind: 'load', startedAt, finishedAt: report.finishedAt, target: input.target, status: report.status, report }, { report, modelIds, workload: { inputTokens: plan.inputTokens, maxTokens: input.maxTokens } })
      .catch(() => false);
  }
  return report;
}
