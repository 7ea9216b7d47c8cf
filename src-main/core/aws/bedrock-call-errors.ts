import type { ResolvedRoute } from '../../../src-shared/catalog/resolve-route';
import type { AwsClientPool } from './client-pool';
import { explainAwsError, type AwsCallError } from './errors';

/**
 * A failed Bedrock runtime call through a resolved route, explained with the route's ids and region, for the
 * playground, the latency lab and the CLI alike. The text that streamed before a failure is kept on the error.
 */
export function explainBedrockCall(
  error: unknown,
  route: Pick<ResolvedRoute, 'invokeId' | 'modelId' | 'callRegion'>,
  clients: Pick<AwsClientPool, 'profile' | 'redact'>,
  { partialText = '', timedOut = false }: { partialText?: string; timedOut?: boolean } = {},
): AwsCallError {
  return explainAwsError(
    error,
    {
      service: 'Bedrock',
      region: route.callRegion,
      invokeId: route.invokeId,
      modelId: route.modelId,
      profile: clients.profile,
      midStream: partialText.length > 0,
      redact: (text) => clients.redact(text),
    },
    { timedOut, partialText },
  );
}
