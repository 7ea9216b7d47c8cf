import type { Scenario } from '../scenario';
import type { EmulatorRequest, EmulatorResponse } from '../wire';

/**
 * An AWS service the emulator speaks beside Bedrock, on the same port. Requests reach it as AWS sends them: an
 * `awsJson` service by its `X-Amz-Target` prefix, a `query` service by the SigV4 scope's service name and the
 * form body's `Action`. A new service is one module that exports one of these and one line in `SERVICES`.
 */
export interface EmulatedService {
  /** The service name in the SigV4 credential scope (`sts`, `iam`, `servicequotas`, …). */
  signingName: string;
  protocol: 'query' | 'awsJson';
  /** awsJson: the `X-Amz-Target` prefix before the operation (`ServiceQuotasV20190624`). */
  targetPrefix?: string;
  answer(call: ServiceCall): Promise<void>;
}

export interface ServiceCall {
  request: EmulatorRequest;
  response: EmulatorResponse;
  /** The operation: the query `Action`, or what follows the target prefix. */
  operation: string;
  /** query: the form parameters; awsJson: the parsed JSON body. */
  parameters: URLSearchParams | Record<string, unknown>;
  region: string;
  /** The access key id the request was signed with. */
  accessKeyId: string;
  scenario: Scenario;
  requestId: string;
}
