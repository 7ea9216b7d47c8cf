import type { CatalogDocument } from '../../../../src-shared/catalog/document';
import type { StreamContext } from '../../../../src-shared/contract';
import type { LoadProgress, LoadRouteReport, LoadRunReport, LoadRunView, ParsedLoadRunInput } from '../../../../src-shared/contract/load';
import { ValidationError } from '../../api/dispatcher';
import { isLoopbackUrl, type AwsClientPool } from '../../aws/client-pool';
import type { PriceLookup } from '../cost';
import { countPrompt } from '../count-prompt';
import type { LatencyHistory } from '../history-store';
import { ConfirmationRequiredError, formatDollars, planRun, setAsideUncallable } from '../plan';
import { systemClock, type LoadClock } from './clock';
import { ASSUMED_TTFT_MS, estimateLoadRun, requestInputTokens } from './estimate';
import { findKnee } from './level-summary';
import { readQuotaLine, type RouteQuotasReader } from './quota-line';
import { runLoad } from './run-load';

/**
 * The load methods of the latency feature: the estimate, the run (refused until confirmed where the lab would ask,
 * and when a dollar budget cannot be kept because a price is unknown), and a stored run read back for its charts.
 */

export interface LoadDependencies {
  clients: AwsClientPool;
  catalog: { get(): Promise<{ document: CatalogDocument; meta: { simulated: boolean } }> };
  history: LatencyHistory;
  prices: () => Promise<PriceLookup>;
  /** Resolves once the price table this session fetches lazily has come (or failed). */
  pricesSettled: () => Promise<unknown>;
  quotas: RouteQuotasReader;
  /** Runs `work` with a signal that the feature's disposal aborts too. */
  tracked: <T>(signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  clock?: LoadClock;
}

export class LoadRunNotFound extends Error {
  override readonly name = 'LoadRunNotFound';
  readonly code = 'NOT_FOUND';
}

/** How long a run waits for the session's price table before it starts without it. */
const PRICES_WAIT_MS = 30_000;

/** How far back a route's measured TTFT informs the estimate of concurrency levels by duration. */
const MEASURED_WINDOW_MS = 7 * 86_400_000;

const timedClosedLoop = (input: ParsedLoadRunInput) => input.load.mode === 'concurrency' && input.stepRequests === undefined;

export function createLoadHandlers(deps: LoadDependencies) {
  const { clients, history } = deps;

  const plan = async (input: ParsedLoadRunInput) => {
    const snapshot = await deps.catalog.get();
    const refusal = await clients.apiKeyRefusals();
    const runPlan = setAsideUncallable(planRun(snapshot.document, { ...input, compareRoutes: false }), refusal);
    const simulated = snapshot.meta.simulated || isLoopbackUrl(clients.endpointUrl);
    const first = runPlan.routes[0];
    const [prompt, table, measured] = await Promise.all([
      countPrompt(clients, first, input.promptSize),
      deps.prices(),
      // Only concurrency levels by duration need it; reading opens the history file, which is released (closed,
      // synchronously) a moment later: never while a schedule is being kept.
      first && timedClosedLoop(input) ? history.measured(first.resolved.modelId, Date.now() - MEASURED_WINDOW_MS).catch(() => []) : Promise.resolve([]),
    ]);
    const estimate = estimateLoadRun(runPlan, input, prompt, simulated, table, (planned) => {
      const found = measured.find((route) => route.invokeId === planned.route.invokeId && route.region === planned.route.callRegion);
      return found ? { ttftMs: found.ttftP50Ms, measured: true } : { ttftMs: ASSUMED_TTFT_MS, measured: false };
    });
    return { runPlan, estimate, table, inputTokens: requestInputTokens(prompt, input.uniquePrompts) };
  };

  return {
    estimateLoadRun: async (input: ParsedLoadRunInput) => (await plan(input)).estimate,

    runLoad: async (input: ParsedLoadRunInput, context: StreamContext<LoadProgress>): Promise<LoadRunReport> => {
      // The Price List's pages are parsed on the event loop: a fetch still running when a level starts would delay its
      // sends by hundreds of milliseconds. The run starts once the session's table has come (or failed).
      await Promise.race([deps.pricesSettled().catch(() => {}), new Promise((resolve) => setTimeout(resolve, PRICES_WAIT_MS).unref())]);
      const { runPlan, estimate, table, inputTokens } = await plan(input);
      const unpriced = Object.values(estimate.routeCosts).find((cost) => cost.usd === null);
      if (input.maxCostUsd !== undefined && unpriced) {
        throw new ValidationError('runLoad', [{ path: 'maxCostUsd', message: `a dollar budget cannot be kept without the route's price: ${unpriced.unknown ?? 'a price is unknown'}. Budget requests instead (maxRequests).` }]);
      }
      if (estimate.needsConfirmation && !input.confirmed) {
        const cost = estimate.estimatedCostUsd === null ? 'an unknown cost' : `up to about ${formatDollars(estimate.estimatedCostUsd)}`;
        throw new ConfirmationRequiredError(
          `This load run sends about ${estimate.requests + estimate.warmupRequests} requests to AWS (${estimate.requestsBasis}; ${cost}), and asks first because ${estimate.confirmationReasons.join('; ')}. Confirm it (CLI: --yes).`,
        );
      }
      return deps.tracked(context.signal, (signal) =>
        runLoad(
          input,
          { routes: runPlan.routes, unavailable: runPlan.unavailable, inputTokens },
          { ...context, signal },
          { clients, history, prices: table, quotas: deps.quotas, clock: deps.clock ?? systemClock },
        ),
      );
    },

    /** A stored load run, with the quota line of each route as the quotas feature has it now. */
    loadRunLevels: async ({ runId }: { runId: string }, { signal }: { signal: AbortSignal }): Promise<LoadRunView> => {
      const stored = await history.loadRun(runId);
      if (!stored) throw new LoadRunNotFound(`No load run ${runId} in the history. \`bedrock-atlas history\` lists the runs kept.`);
      const regions: LoadRunView['regions'] = {};
      await Promise.all(
        Object.entries(stored.routes).map(async ([key, entry]) => {
          if ('error' in entry) {
            regions[key] = { error: entry.error };
            return;
          }
          const quota = await readQuotaLine(deps.quotas, { modelId: entry.modelId, route: entry.route }, stored.workload, (text) => clients.redact(text), signal);
          regions[key] = { route: entry.route, levels: entry.levels, knee: findKnee(entry.levels), quota } satisfies LoadRouteReport;
        }),
      );
      const { id, startedAt, finishedAt, target, status, load, step, uniquePrompts, slo, budget, stopped } = stored;
      return { id, startedAt, finishedAt, target, status, load, step, uniquePrompts, slo, budget, ...(stopped ? { stopped } : {}), regions };
    },
  };
}
