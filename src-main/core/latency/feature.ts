import { CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import type { LatencyEstimate, ParsedLatencyRunInput } from '../../../src-shared/contract';
import { COMMERCIAL_REGIONS } from '../../../src-shared/regions';
import { awsFeature } from '../app/aws-feature';
import type { Feature } from '../app/feature';
import { isLoopbackUrl, type AwsClientPool } from '../aws/client-pool';
import { catalogFeature } from '../catalog/feature';
import { historyFeature } from '../storage/history-feature';
import { LatencyHistory } from './history-store';
import { ConfirmationRequiredError, estimateRun, planRun, type RunPlan } from './plan';
import { probeNetwork } from './probe';
import { estimatedTokens, LATENCY_PROMPTS } from './prompts';
import { measuredByRoute, rankRoutes, withMeasurements } from './ranking';
import { runLatency } from './run';

/**
 * The latency lab: network probes, latency runs, their history and the ranking, behind the latency methods and
 * streams. It hands the catalog service the measured figures for `bestRegions`; the catalog service is replaced
 * when its settings change, so this feature is rebuilt with it (its history lives in the history feature).
 */

const COUNT_TOKENS_TIMEOUT_MS = 3_000;

/** The prompt's input tokens: Bedrock's CountTokens where the model offers it, else about 4 characters per token. */
async function countPrompt(clients: AwsClientPool, plan: RunPlan, size: ParsedLatencyRunInput['promptSize']): Promise<LatencyEstimate['prompt']> {
  const text = LATENCY_PROMPTS[size];
  const first = plan.routes[0];
  if (first) {
    try {
      const answer = await clients.bedrockRuntime(first.route.callRegion).send(
        new CountTokensCommand({ modelId: first.resolved.modelId, input: { converse: { messages: [{ role: 'user', content: [{ text }] }] } } }),
        { abortSignal: AbortSignal.timeout(COUNT_TOKENS_TIMEOUT_MS) },
      );
      if (answer.inputTokens) return { size, inputTokens: answer.inputTokens, countedBy: 'CountTokens' };
    } catch {
      // Not every model offers CountTokens: the estimate below stands in.
    }
  }
  return { size, inputTokens: estimatedTokens(text), countedBy: 'estimate' };
}

export const latencyFeature: Feature<LatencyHistory> = {
  name: 'latency',
  rebuildOn: ['awsProfile', 'cacheMode', 'cacheDir', 'maxAgeHours'],
  create: ({ use, settings, log }) => {
    const history = new LatencyHistory(() => use(historyFeature).database(), () => settings().historyLimit, log);
    const live = new Set<AbortController>();
    const catalog = () => use(catalogFeature).get();

    const plan = async (input: ParsedLatencyRunInput) => {
      const clients = use(awsFeature);
      const snapshot = await catalog();
      const runPlan = planRun(snapshot.document, input);
      const simulated = snapshot.meta.simulated || isLoopbackUrl(clients.endpointUrl);
      return { runPlan, estimate: estimateRun(runPlan, input, await countPrompt(clients, runPlan, input.promptSize), simulated) };
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

    use(catalogFeature).useMeasuredLatency(async (modelId, routes) => withMeasurements(routes, await measuredByRoute(history, modelId, Date.now())));

    return {
      exports: history,
      methods: {
        estimateLatencyRun: async (input) => (await plan(input)).estimate,
        latencyHistory: async (input) => ({ runs: await history.runs(input) }),
        latencySeries: async (input) => ({ points: await history.series(input) }),
        rankRoutes: async ({ target, from }) => ({ routes: await rankRoutes((await catalog()).document, history, target, from) }),
        exportLatency: (input) => history.export(input),
        historyStatus: () => history.status(),
      },
      streams: {
        probeNetwork: (input, context) => {
          const chosen = settings().regions;
          const regions = input.regions ?? (chosen.length > 0 ? chosen : COMMERCIAL_REGIONS);
          return tracked(context.signal, (signal) =>
            probeNetwork({ regions, samples: input.samples }, { ...context, signal }, { clients: use(awsFeature), history }),
          );
        },
        runLatency: async (input, context) => {
          const { runPlan, estimate } = await plan(input);
          if (estimate.needsConfirmation && !input.confirmed) {
            throw new ConfirmationRequiredError(
              `This run sends ${estimate.requests + estimate.warmupRequests} requests to AWS (about ${estimate.inputTokens} input and up to ${estimate.outputTokens} output tokens). Confirm it (CLI: --yes).`,
            );
          }
          return tracked(context.signal, (signal) =>
            runLatency(input, runPlan.routes, { ...context, signal }, { clients: use(awsFeature), history }, runPlan.unavailable),
          );
        },
      },
      dispose: () => {
        for (const abort of live) abort.abort();
        use(catalogFeature).useMeasuredLatency(null);
      },
    };
  },
};
