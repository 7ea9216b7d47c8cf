import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { LatencyProgress, LatencyRouteReport, LatencyRunReport, ParsedLatencyRunInput, RegionFailure, StreamContext } from '../../../src-shared/contract';
import { noErrors, type ErrorClass, type ErrorCounts } from '../../../src-shared/errors';
import type { AwsClientPool } from '../aws/client-pool';
import { explainBedrockCall } from '../aws/bedrock-call-errors';
import { RunCostMeter, type PriceLookup } from './cost';
import type { LatencyHistory } from './history-store';
import { measureRequest, RequestAborted, type FailedSample, type MeasuredSample } from './measure-request';
import type { PlannedRoute } from './plan';
import { LATENCY_PROMPTS } from './prompts';
import { sampleRowOf } from './sample-row';
import { percentile, round, summarize } from './stats';

/**
 * A latency run: every planned route at once, each with its warm-up (C connections opened, then `warmup` requests
 * not counted) and then `runs` measured requests at concurrency C. Nothing is retried: a throttle is counted and
 * the run goes on. A cancel aborts the requests in flight upstream and keeps what was measured. Progress goes out
 * at most every 50 ms per route; samples go to the history after the run (in batches for a very long one), never
 * awaited by a request.
 */

export const PROGRESS_INTERVAL_MS = 50;

export interface RunDependencies {
  clients: AwsClientPool;
  history: LatencyHistory | null;
  /** The price table the run's cost is counted at, asked when the run is over. */
  prices: () => Promise<PriceLookup>;
  /**
   * Once aborted, no new request starts and those in flight finish (a monitor told to stop by SIGTERM): unlike the
   * stream's signal, which aborts them upstream. The run then ends as cancelled, keeping what was measured.
   */
  stopSending?: AbortSignal;
}

interface RouteState {
  planned: PlannedRoute;
  progress: LatencyProgress;
  samples: MeasuredSample[];
  errors: ErrorCounts;
  opened: number;
  reused: number;
  servedLatency: Record<string, number>;
  failure: RegionFailure | null;
  ttfts: number[];
  /** Connection failures in a row; at NETWORK_FAILURES_TO_STOP the route stops and names the cause. */
  networkFailuresInARow: number;
  stopped: { code: string; message: string } | null;
}

/** A dead endpoint fails every request at once; three in a row is not bad luck, and the run should not pretend. */
export const NETWORK_FAILURES_TO_STOP = 3;

/** completed, partial or failed, from what each route produced (a cancel is said by the caller). */
export function runStatus(regions: LatencyRunReport['regions']): LatencyRunReport['status'] {
  const routes = Object.values(regions);
  const productive = routes.filter((route) => 'route' in route && route.samples > 0);
  if (productive.length === 0) return 'failed';
  return productive.length === routes.length && productive.every((route) => 'route' in route && !route.stopped) ? 'completed' : 'partial';
}

/** Failures that no later request of the same route can get past: the route is reported failed after its warm-up. */
export const ROUTE_FATAL: ReadonlySet<ErrorClass> = new Set(['accessDenied', 'organizationPolicy', 'validation', 'needsProfile', 'notOffered', 'credentials', 'timeout']);

export function routeFailure(failed: FailedSample, planned: PlannedRoute, clients: AwsClientPool): RegionFailure {
  const explained = explainBedrockCall(failed.error, planned.resolved, clients, { timedOut: failed.timedOut });
  return { error: { code: explained.code, message: explained.message } };
}

function routeReport(state: RouteState): LatencyRouteReport | RegionFailure {
  if (state.failure) return state.failure;
  // A route that never answered is a failure; one that answered before its endpoint died keeps its figures.
  if (state.stopped && state.samples.length === 0) return { error: state.stopped };
  const pick = (read: (sample: MeasuredSample) => number | null) => summarize(state.samples.map(read).filter((value): value is number => value !== null));
  return {
    route: state.planned.route,
    samples: state.samples.length,
    errors: state.errors,
    ttftMs: pick((sample) => sample.ttftMs),
    e2eMs: pick((sample) => sample.e2eMs),
    interTokenMs: pick((sample) => sample.interTokenMs),
    outputTokensPerSecond: pick((sample) => (sample.interTokenMs ? 1000 / sample.interTokenMs : null)),
    endToEndTokensPerSecond: pick((sample) => (sample.outputTokens && sample.e2eMs > 0 ? (sample.outputTokens * 1000) / sample.e2eMs : null)),
    serverLatencyMs: pick((sample) => sample.serverLatencyMs),
    clientOverheadMs: pick((sample) => (sample.serverLatencyMs === null ? null : sample.e2eMs - sample.serverLatencyMs)),
    largestGapMs: pick((sample) => sample.largestGapMs),
    connectionsOpened: state.opened,
    connectionsReused: state.reused,
    ...(Object.keys(state.servedLatency).length > 0 ? { servedLatency: state.servedLatency } : {}),
    ...(state.stopped ? { stopped: state.stopped } : {}),
  };
}

export async function runLatency(
  input: ParsedLatencyRunInput,
  routes: PlannedRoute[],
  { signal, emit }: StreamContext<LatencyProgress>,
  dependencies: RunDependencies,
  unavailable: Record<string, { code: string; message: string }> = {},
): Promise<LatencyRunReport> {
  const id = randomUUID();
  const startedAt = new Date().toISOString();
  setMaxListeners(0, signal); // every request in flight listens for the cancel
  const prompt = LATENCY_PROMPTS[input.promptSize];
  const { clients, history, stopSending } = dependencies;
  const sending = () => !signal.aborted && !stopSending?.aborted;
  const costs = new RunCostMeter(routes, input.latency);
  const states: RouteState[] = routes.map((planned) => ({
    planned,
    progress: { key: planned.key, route: planned.route, done: 0, total: input.runs, errors: 0, p50TtftMs: null, phase: 'warmup' },
    samples: [],
    errors: noErrors(),
    opened: 0,
    reused: 0,
    servedLatency: {},
    failure: null,
    ttfts: [],
    networkFailuresInARow: 0,
    stopped: null,
  }));

  const dirty = new Set<RouteState>(states);
  let emitting = Promise.resolve();
  const sendProgress = () => {
    const changed = [...dirty];
    dirty.clear();
    emitting = emitting.then(async () => {
      for (const state of changed) await emit({ ...state.progress }).catch(() => {});
    });
  };
  const ticker = setInterval(sendProgress, PROGRESS_INTERVAL_MS);
  sendProgress();

  const record = (state: RouteState, outcome: MeasuredSample | FailedSample) => {
    const { planned } = state;
    costs.record(planned.key, outcome);
    if (outcome.reusedSocket === true) state.reused++;
    if (outcome.reusedSocket === false) state.opened++;
    if (outcome.ok) {
      state.samples.push(outcome);
      const at = state.ttfts.findIndex((value) => value > outcome.ttftMs);
      state.ttfts.splice(at === -1 ? state.ttfts.length : at, 0, outcome.ttftMs);
      state.progress.p50TtftMs = round(percentile(state.ttfts, 0.5));
      if (input.latency === 'optimized' && outcome.servedLatency && outcome.servedLatency !== 'optimized') {
        state.servedLatency[outcome.servedLatency] = (state.servedLatency[outcome.servedLatency] ?? 0) + 1;
      }
      state.networkFailuresInARow = 0;
    } else {
      state.errors[outcome.errorClass]++;
      state.progress.errors++;
      state.networkFailuresInARow = outcome.errorClass === 'network' ? state.networkFailuresInARow + 1 : 0;
      if (state.networkFailuresInARow >= NETWORK_FAILURES_TO_STOP && !state.stopped) {
        const { error } = routeFailure(outcome, planned, clients);
        state.stopped = { code: error.code, message: `Stopped after ${NETWORK_FAILURES_TO_STOP} connection failures in a row. ${error.message}` };
      }
    }
    state.progress.done++;
    dirty.add(state);
    history?.addSamples([sampleRowOf(outcome, planned, { runId: id, target: input.target, at: Date.now() })]);
  };

  const measureRoute = async (state: RouteState) => {
    const { route } = state.planned;
    const plan = {
      client: await clients.bedrockRuntime(route.callRegion, { retries: false, streaming: true }),
      invokeId: route.invokeId,
      prompt,
      maxTokens: input.maxTokens,
      latency: input.latency,
      timeoutMs: input.requestTimeoutMs,
    };
    try {
      if (input.warmup > 0) {
        // C connections opened before measuring, so no measured request pays a handshake.
        const pool = clients.runtimeConnections(route.callRegion);
        const endpoint = await clients.runtimeEndpoint(route.callRegion);
        await Promise.all(Array.from({ length: input.concurrency }, () => pool.warmUp(endpoint, Math.min(input.requestTimeoutMs, 10_000))));
        for (let index = 0; index < input.warmup && sending(); index++) {
          const outcome = await measureRequest(plan, signal);
          costs.record(state.planned.key, outcome);
          if (!outcome.ok && ROUTE_FATAL.has(outcome.errorClass)) {
            state.failure = routeFailure(outcome, state.planned, clients);
            return;
          }
        }
      }
      state.progress.phase = 'measuring';
      dirty.add(state);
      let next = 0;
      const worker = async () => {
        while (next < input.runs && sending() && !state.stopped) {
          next++;
          record(state, await measureRequest(plan, signal));
        }
      };
      await Promise.all(Array.from({ length: Math.min(input.concurrency, input.runs) }, worker));
    } catch (error) {
      if (!(error instanceof RequestAborted)) throw error;
    } finally {
      state.progress.phase = state.failure ? 'failed' : 'done';
      dirty.add(state);
    }
  };

  try {
    await Promise.all(states.map(measureRoute));
  } finally {
    clearInterval(ticker);
    sendProgress();
    await emitting;
  }

  const report: LatencyRunReport = {
    id,
    startedAt,
    finishedAt: new Date().toISOString(),
    target: input.target,
    runs: input.runs,
    concurrency: input.concurrency,
    options: { warmup: input.warmup, promptSize: input.promptSize, maxTokens: input.maxTokens, latency: input.latency, autoProfile: input.autoProfile },
    status: 'completed',
    regions: { ...Object.fromEntries(Object.entries(unavailable).map(([region, error]) => [region, { error }])), ...Object.fromEntries(states.map((state) => [state.planned.key, routeReport(state)])) },
    stored: false,
    cost: costs.summary(await dependencies.prices()),
  };
  report.status = signal.aborted || stopSending?.aborted ? 'cancelled' : runStatus(report.regions);
  if (history) {
    report.stored = await history
      .saveRun({ id, kind: 'latency', startedAt, finishedAt: report.finishedAt, target: input.target, status: report.status, report })
      .catch(() => false);
  }
  return report;
}
