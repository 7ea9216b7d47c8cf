import type { LatencyEstimate, ParsedLatencyRunInput } from '../../../src-shared/contract';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { isLoopbackUrl, type AwsClientPool } from '../aws/client-pool';
import { catalogFeature } from '../catalog/feature';
import { pricesFeature } from '../prices/feature';
import { historyFeature } from '../storage/history-feature';
import { LatencyHistory } from './history-store';
import { ConfirmationRequiredError, estimateRun, formatDollars, planRun, setAsideUncallable, type RunPlan } from './plan';
import { probeNetwork } from './probe';
import { estimatedTokens, LATENCY_PROMPTS } from './prompts';
import { measuredByRoute, rankRoutes, withMeasurements } from './ranking';
import { runLatency } from './run';

/**
 * The latency lab: network probes, latency runs, their history and the ranking, behind the latency methods and
 * streams; and `bestRegions`, the catalog's routes with the measured figures attached.
 */

const COUNT_TOKENS_TIMEOUT_MS = 3_000;

/** The prompt's input tokens: Bedrock's CountTokens where the model offers it, else about 4 characters per token. */
async function countPrompt(clients: AwsClientPool, plan: RunPlan, size: ParsedLatencyRunInput['promptSize']): Promise<LatencyEstimate['prompt']> {
  const text = LATENCY_PROMPTS[size];
  const first = plan.routes[0];
  if (first) {
    try {
      const answer = await (await clients.bedrockRuntime(first.route.callRegion)).send(
        new (await import('@aws-sdk/client-bedrock-runtime')).CountTokensCommand({ modelId: first.resolved.modelId, input: { converse: { messages: [{ role: 'user', content: [{ text }] }] } } }),
        { abortSignal: AbortSignal.timeout(COUNT_TOKENS_TIMEOUT_MS) },
      );
      if (answer.inputTokens) return { size, inputTokens: answer.inputTokens, countedBy: 'CountTokens' };
    } catch {
      // Not every model offers CountTokens: the estimate below stands in.
    }
  }
  return { size, inputTokens: estimatedTokens(text), countedBy: 'estimate' };
}

export const latencyFeature = defineFeature({
  name: 'latency',
  // The history lives in the history feature; a new profile, catalog or data directory rebuilds this through them.
  // Runs are priced with the prices feature's table (its date said in the estimate and the report).
  dependsOn: { aws: awsFeature, catalog: catalogFeature, history: historyFeature, prices: pricesFeature },
  create: ({ settings, log }, { aws: clients, catalog, history: historyAccess, prices }) => {
    const history = new LatencyHistory(() => historyAccess.database(), () => settings().historyLimit, log);
    const live = new Set<AbortController>();

    const plan = async (input: ParsedLatencyRunInput) => {
      const snapshot = await catalog.get();
      const refusal = await clients.apiKeyRefusals();
      const runPlan = setAsideUncallable(planRun(snapshot.document, input), refusal);
      const simulated = snapshot.meta.simulated || isLoopbackUrl(clients.endpointUrl);
      const [prompt, table] = await Promise.all([countPrompt(clients, runPlan, input.promptSize), prices.now()]);
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

    return {
      exports: history,
      methods: {
        estimateLatencyRun: async (input) => (await plan(input)).estimate,
        latencyHistory: async (input) => ({ runs: await history.runs(input) }),
        latencySeries: async (input) => ({ points: await history.series(input) }),
        rankRoutes: async ({ target, from }) => ({ routes: await rankRoutes((await catalog.get()).document, history, target, from) }),
        // The catalog's routes with the lab's measured figures: what the matrix cell panel shows.
        bestRegions: async ({ modelId, fromRegion }) => {
          const { modelId: resolved, routes } = await catalog.bestRegions(modelId, fromRegion);
          return resolved ? withMeasurements(routes, await measuredByRoute(history, resolved, Date.now())) : routes;
        },
        exportLatency: (input) => history.export(input),
        historyStatus: () => history.status(),
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
      },
      dispose: () => {
        for (const abort of live) abort.abort();
      },
    };
  },
});
