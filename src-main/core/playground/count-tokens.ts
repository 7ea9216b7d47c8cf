import type { CountTokensInput, TokenCount } from '../../../src-shared/contract';
import type { CatalogDocument } from '../../../src-shared/catalog/document';
import { resolveRoute } from '../../../src-shared/catalog/resolve-route';
import type { AwsClientPool } from '../aws/client-pool';
import { explainBedrockCall } from '../aws/bedrock-call-errors';
import { toSdkMessages } from './converse';

/**
 * A conversation's input tokens before it is sent, from the runtime's CountTokens. CountTokens takes foundation
 * model ids only, so a profile is counted through its model in the calling region; a model that does not offer
 * it gets an error saying so (the pane then shows no count rather than a guess).
 */

export class TokenCountUnavailable extends Error {
  override readonly name = 'TokenCountUnavailable';
  readonly code = 'COUNT_TOKENS_UNAVAILABLE';
}

export async function countTokens(
  input: CountTokensInput & { region: string },
  signal: AbortSignal,
  dependencies: { clients: AwsClientPool; catalog: () => Promise<CatalogDocument> },
): Promise<TokenCount> {
  // Auto-profile: counting never invokes, so a profile-only model is counted by its id all the same.
  const route = resolveRoute(await dependencies.catalog(), input.target, input.region, { autoProfile: true });
  const client = await dependencies.clients.bedrockRuntime(route.callRegion);
  try {
    const answer = await client.send(
      new (await import('@aws-sdk/client-bedrock-runtime')).CountTokensCommand({
        modelId: route.modelId,
        input: { converse: { messages: toSdkMessages(input), ...(input.system ? { system: [{ text: input.system }] } : {}) } },
      }),
      { abortSignal: signal },
    );
    return { inputTokens: answer.inputTokens ?? 0, modelId: route.modelId, region: route.callRegion };
  } catch (error) {
    if ((error as Error).name === 'ValidationException' && /count(ing)? tokens/i.test((error as Error).message)) {
      throw new TokenCountUnavailable(`${route.modelId} does not offer token counting (CountTokens) in ${route.callRegion}: the count appears after the answer, from Bedrock's usage.`);
    }
    throw explainBedrockCall(error, route, dependencies.clients);
  }
}
