import type { ModelAccess } from '../../../src-shared/catalog/document';
import type { AwsClientPool } from '../aws/client-pool';
import { regionErrorOf } from './discovery';

/**
 * The account's access to one model in one region, as Bedrock's GetFoundationModelAvailability answers it: not
 * available in the region, not authorized, an agreement pending, or authorized. A call that fails is `unknown`
 * with the reason, never an error: access is shown per region beside the others.
 */
export async function fetchModelAccess(clients: AwsClientPool, modelId: string, region: string, checkedAt: string): Promise<ModelAccess> {
  try {
    const { GetFoundationModelAvailabilityCommand } = await import('@aws-sdk/client-bedrock');
    const answer = await (await clients.bedrock(region)).send(new GetFoundationModelAvailabilityCommand({ modelId }), { abortSignal: AbortSignal.timeout(15_000) });
    const status =
      answer.regionAvailability === 'NOT_AVAILABLE'
        ? 'not_available'
        : answer.authorizationStatus === 'NOT_AUTHORIZED'
          ? 'not_authorized'
          : answer.agreementAvailability?.status === 'PENDING'
            ? 'agreement_pending'
            : answer.authorizationStatus === 'AUTHORIZED'
              ? 'authorized'
              : 'unknown';
    return { status, checkedAt, ...(answer.agreementAvailability?.errorMessage ? { message: answer.agreementAvailability.errorMessage } : {}) };
  } catch (error) {
    const { code, message } = regionErrorOf(error, region, clients, false);
    return { status: 'unknown', checkedAt, message: `${code}: ${message}` };
  }
}
