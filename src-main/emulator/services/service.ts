import type { Scenario } from '../scenario';
import type { EmulatorRequest, EmulatorResponse } from '../wire';
import type { ServiceContext } from './context';

/**
 * An AWS service the emulator speaks beside Bedrock, on the same port. Requests reach it as AWS sends them: an
 * `awsJson` service by its `X-Amz-Target` prefix, a `query` service by the SigV4 scope's service name and the
 * form body's `Action`, a `restJson` service by its method and path (`operationAt`; IAM Identity Center's OIDC and
 * portal calls, which are unsigned), a `restXml` service (S3) by the scope's service name. A new service is one module that exports one of these and one line in `SERVICES`.
 */
export interface EmulatedService {
  /** The service name in the SigV4 credential scope (`sts`, `iam`, `servicequotas`, …). */
  signingName: string;
  protocol: 'query' | 'awsJson' | 'restJson' | 'restXml';
  /** awsJson: the `X-Amz-Target` prefix before the operation (`ServiceQuotasV20190624`). */
  targetPrefix?: string;
  /** awsJson: the protocol's version (its content type, `application/x-amz-json-1.0` or `-1.1`); 1.1 unless said. */
  jsonVersion?: '1.0' | '1.1';
  /**
   * awsJson: the member that carries an error's text, as the service's model names it (`Message` for Service Quotas
   * and the Price List API, `message` for most others).
   */
  errorMessageMember?: 'message' | 'Message';
  /**
   * awsJson with `awsQueryCompatible` (CloudWatch): the query protocol's code for an exception name, sent in
   * `x-amzn-query-error` (`InvalidParameterValueException` -> `InvalidParameterValue`).
   */
  queryErrorCode?(exceptionName: string): string;
  /**
   * restXml (S3): the operation a request names by its method, path, query and headers. Such a service reads its
   * own body, as bytes: S3's bodies are binary.
   */
  operationOf?(request: EmulatorRequest): string;
  /** restJson: the operation a method and path name, or null when they are not this service's. */
  operationAt?(method: string, path: string): string | null;
  answer(call: ServiceCall): Promise<void>;
}

export interface ServiceCall {
  request: EmulatorRequest;
  response: EmulatorResponse;
  /** The operation: the query `Action`, or what follows the target prefix. */
  operation: string;
  /** query: the form parameters; awsJson and restJson: the parsed JSON body (a GET: its query parameters); restXml: none (the service reads the request). */
  parameters: URLSearchParams | Record<string, unknown>;
  /** The SigV4 scope's region; `unsigned` for an unsigned restJson call. */
  region: string;
  /** The access key id the request was signed with; empty for an unsigned call. */
  accessKeyId: string;
  scenario: Scenario;
  requestId: string;
  /** The emulator instance's own state: its data, clock, usage log, delays and per-scenario state. */
  context: ServiceContext;
}
