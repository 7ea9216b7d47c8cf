import type { ErrorClass } from '../../../src-shared/contract/latency';

/**
 * The class a failed measured request is counted under. Names are the SDK's (`error.name`), which it takes from
 * Bedrock's `x-amzn-errortype` header or from a mid-stream exception frame (`throttlingException` arrives as
 * ThrottlingException). A request that outlived the run's per-request timeout is a timeout whatever the SDK says.
 */

const THROTTLED = new Set(['ThrottlingException', 'ServiceQuotaExceededException', 'ModelNotReadyException', 'TooManyRequestsException']);
const ACCESS = new Set([
  'AccessDeniedException',
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
  'CredentialsError',
]);
const VALIDATION = new Set(['ValidationException', 'ResourceNotFoundException', 'SerializationException']);
const TIMEOUT = new Set(['ModelTimeoutException', 'TimeoutError', 'RequestTimeout']);

export function classifyError(error: unknown, timedOut: boolean): ErrorClass {
  if (timedOut) return 'timeout';
  const name = error instanceof Error ? error.name : '';
  if (THROTTLED.has(name)) return 'throttled';
  if (ACCESS.has(name) || (error as { code?: string } | null)?.code === 'CredentialsMissing') return 'accessDenied';
  if (VALIDATION.has(name)) return 'validation';
  if (TIMEOUT.has(name)) return 'timeout';
  return 'other';
}

/** Failures that no later request of the same route can get past: the route is reported failed after its warm-up. */
export function isRouteFatal(errorClass: ErrorClass): boolean {
  return errorClass === 'accessDenied' || errorClass === 'validation' || errorClass === 'timeout';
}
