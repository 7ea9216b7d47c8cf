import type { ParsedLatencyRunInput } from '../../../src-shared/contract';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { isLoopbackUrl } from '../aws/client-pool';
import { countPrompt } from './count-prompt';
import { catalogFeature } from '../catalog/feature';
import { pricesFeature } from '../prices/feature';
import { quotasFeature } from '../quotas/feature';
import { historyFeature } from '../storage/history-feature';
import { teamFeature } from '../fleet/team/feature';
import { LOCAL_VANTAGE } from '../../../src-shared/contract/vantage';
import { LatencyHistory } from './history-store';
import { createLoadHandlers } from './load/handlers';
import { ConfirmationRequiredError, estimateRun, formatDollars, planRun, setAsideUncallable } from './plan';
import { probeNetwork } from './probe';
import { measuredByRoute, rankRoutes, withMeasurements } from './ranking';
import { runLatency } from './run';

/**
 * The latency lab: network probes, latency runs, their history and the ranking, behind the latency methods and
 * streams; and `bestRegions`, the catalog's routes with the measured figures attached.
 */

export const latencyFeature = defineFeature({
  name: 'latency',
  // The history lives in the history feature; a new profile, catalog or data directory rebuilds this through them.
  // Runs are priced with the prices feature's table (its date said in the estimate and the report); a load run's
  // charts draw the route's quota from the quotas feature.
  // A vantage other than this machine (issue 19) is read from the team feature's cached store.
  dependsOn: { aws: awsFeature, catalog: catalogFeature, history: historyFeature, prices: pricesFeature, quotas: quotasFeature, team: teamFeature },
  create: ({ settings, log }, { aws: clients, catalog, history: historyAccess, prices, quotas, team }) => {
    const history = new LatencyHistory(() => historyAccess.database(), () => settings().historyLimit, log);
    const live = new Set<AbortController>();

    const plan = async (input: ParsedLatencyRunInput) => {
      const snapshot = await catalog.get();
      const refusal = await clients.apiKeyRefusals();
      const runPlan = setAsideUncallable(planRun(snapshot.document, input), refusal);
      const simulated = snapshot.meta.simulated || isLoopbackUrl(clients.endpointUrl);
      const [prompt, table] = await Promise.all([countPrompt(clients, runPlan.routes[0], input.promptSize), prices.now()]);
      return { runPlan, estimate: estimateRun(runPlan, input, prompt, simulated, table) };
    };
    /** A stream's signal, also aborted when the feature is disposed (a settings change, the app closing). */
    const tracked = async <T>(signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
      const abort = new AbortController();
      const forward = () => abort.abort();
      signal.addEventListener('abort', forward, { once: true });
      live.add(abort);
      try {
        return await work(abort.signal);
      } finally {
        live.delete(abort);
        signal.removeEventListener('abort', forward);
      }
    };

    const load = createLoadHandlers({
      clients,
      catalog,
      history,
      prices: () => prices.now(),
      pricesSettled: () => prices.tableInfo(),
      quotas: (modelId, region, signal) => quotas.routeQuotas(modelId, region, signal),
      tracked,
    });

    return {
      exports: history,
      methods: {
        estimateLatencyRun: async (input) => (await plan(input)).estimate,
        latencyHistory: async ({ vantage = LOCAL_VANTAGE, ...input }) => ({ runs: vantage === LOCAL_VANTAGE ? await history.runs(input) : await team.runs(input, vantage) }),
        latencySeries: async ({ vantage = LOCAL_VANTAGE, ...input }) => ({ points: vantage === LOCAL_VANTAGE ? await history.series(input) : await team.series(input, vantage) }),
        rankRoutes: async ({ target, from, vantage = LOCAL_VANTAGE }) => ({
          routes: await rankRoutes((await catalog.get()).document, vantage === LOCAL_VANTAGE ? history : await team.measuredFrom(vantage), target, from),
        }),
        // The catalog's routes with the lab's measured figures: what the matrix cell panel shows.
        bestRegions: async ({ modelId, fromRegion, vantage = LOCAL_VANTAGE }) => {
          const { modelId: resolved, routes } = await catalog.bestRegions(modelId, fromRegion);
          const source = vantage === LOCAL_VANTAGE ? history : await team.measuredFrom(vantage);
          return resolved ? withMeasurements(routes, await measuredByRoute(source, resolved, Date.now())) : routes;
        },
        exportLatency: (input) => history.export(input),
        historyStatus: () => history.status(),
        estimateLoadRun: (input) => load.estimateLoadRun(input),
        loadRunLevels: (input, context) => load.loadRunLevels(input, context),
      },
      streams: {
        probeNetwork: (input, context) => {
          const chosen = settings().regions;
          const regions = input.regions ?? (chosen.length > 0 ? chosen : COMMERCIAL_REGIONS);
          return tracked(context.signal, (signal) => probeNetwork({ regions, samples: input.samples }, { ...context, signal }, { clients, history }));
        },
        runLatency: async (input, context) => {
          const { runPlan, estimate } = await plan(input);
          if (estimate.needsConfirmation && !input.confirmed) {
            const cost = estimate.estimatedCostUsd === null ? 'an unknown cost' : `up to about ${formatDollars(estimate.estimatedCostUsd)}`;
            throw new ConfirmationRequiredError(
              `This run sends ${estimate.requests + estimate.warmupRequests} requests to AWS (about ${estimate.inputTokens} input and up to ${estimate.outputTokens} output tokens, ${cost}), and asks first because ${estimate.confirmationReasons.join('; ')}. Confirm it (CLI: --yes).`,
            );
          }
          return tracked(context.signal, (signal) =>
            runLatency(input, runPlan.routes, { ...context, signal }, { clients, history, prices: () => prices.now() }, runPlan.unavailable),
          );
        },
        runLoad: (input, context) => load.runLoad(input, context),
      },
      dispose: () => {
        for (const abort of live) abort.abort();
      },
    };
  },
});
