import type { LatencyEstimate, PromptSize } from '../../../src-shared/contract/latency';
import type { AwsClientPool } from '../aws/client-pool';
import type { PlannedRoute } from './plan';
import { estimatedTokens, LATENCY_PROMPTS } from './prompts';

const COUNT_TOKENS_TIMEOUT_MS = 3_000;

/**
 * The prompt's input tokens, for a run's estimate: Bedrock's CountTokens on the run's first route where the model
 * offers it, else about 4 characters per token.
 */
export async function countPrompt(clients: AwsClientPool, first: PlannedRoute | undefined, size: PromptSize): Promise<LatencyEstimate['prompt']> {
  const text = LATENCY_PROMPTS[size];
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
