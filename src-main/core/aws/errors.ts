import { isThrottlingError } from '@smithy/core/retry';
import { ERROR_CLASS_CODES, type ErrorClass } from '../../../src-shared/errors';
import { CredentialsError } from './credential-errors';

/**
 * One error model for every AWS call. `classifyAwsError` decides the class from the SDK's own signals (the
 * exception's name as the service sent it, `$fault`, `$retryable`, `$metadata.httpStatusCode`, Node's error codes),
 * and keeps the request id that support cases and CloudTrail need. `explainAwsError` turns the class into the one
 * message and fix the user sees, with the upstream text redacted and kept at the end. Every feature goes through
 * these two, so a failure reads the same in the matrix, the lab, the playground and the CLI.
 */

export interface AwsFailure {
  errorClass: ErrorClass;
  /** The service's exception name (ThrottlingException), our credential code, or Node's error code (ECONNREFUSED). */
  name: string;
  /** The upstream text, unredacted: only `explainAwsError` may let it out. */
  upstreamMessage: string;
  httpStatus: number | null;
  requestId: string | null;
  fault: 'client' | 'server' | null;
  retryable: boolean;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number; requestId?: string };
  errors?: unknown[];
  cause?: unknown;
}

const CREDENTIAL_NAMES = new Set([
  'CredentialsError',
  'CredentialsProviderError',
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  // S3's refusal of a request signed too far from its clock (403): the machine's clock, not a missing permission.
  'RequestTimeTooSkewed',
  'InvalidClientTokenId',
  'IncompleteSignature',
  'MissingAuthenticationTokenException',
  'TokenRefreshRequired',
]);
const TIMEOUT_NAMES = new Set(['ModelTimeoutException', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ERR_HTTP2_STREAM_ERROR', 'ERR_STREAM_PREMATURE_CLOSE']);
/** Network failures before any connection existed (nothing was sent), as opposed to a connection that dropped. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
/** Bedrock's words when a bare model id is called where only an inference profile serves it. */
const NEEDS_PROFILE = /on-demand throughput is(?:n.t| not) supported|retry your request with the id or arn of an inference profile/i;
const NOT_OFFERED = /provided model identifier is invalid|model .*(?:not found|does not exist)|is not supported in this region/i;
/** Bedrock's words when it refuses an API key (bearer token): not issued, revoked, expired, or of another region. */
const API_KEY_REJECTED = /make sure your API Key is valid/i;
/** AWS's access-denied texts name the policy type that denied: "…with an explicit deny in a service control policy". */
const ORGANIZATION_POLICY = /(?:service|resource) control policy|organizations? policy/i;

/** The Node error code of a network failure, looking inside an AggregateError (both address families refused). */
function nodeCode(error: SdkErrorShape): string | null {
  if (typeof error.code === 'string') return error.code;
  const inner = error.errors?.[0] ?? error.cause;
  return inner && typeof inner === 'object' && typeof (inner as SdkErrorShape).code === 'string' ? (inner as SdkErrorShape).code! : null;
}

function classOf(error: SdkErrorShape, name: string, message: string, status: number | null, code: string | null): ErrorClass {
  if (error instanceof CredentialsError || CREDENTIAL_NAMES.has(name) || API_KEY_REJECTED.test(message)) return 'credentials';
  if (name === 'ModelNotReadyException') return 'modelNotReady';
  if (name === 'ServiceQuotaExceededException' || isThrottlingError(error as Parameters<typeof isThrottlingError>[0])) return 'throttled';
  if (name === 'AccessDeniedException' || status === 403) return ORGANIZATION_POLICY.test(message) ? 'organizationPolicy' : 'accessDenied';
  if (NEEDS_PROFILE.test(message)) return 'needsProfile';
  if (name === 'ResourceNotFoundException' || (name === 'ValidationException' && NOT_OFFERED.test(message))) return 'notOffered';
  if (TIMEOUT_NAMES.has(name) || (code !== null && TIMEOUT_CODES.has(code))) return 'timeout';
  if (name === 'ValidationException' || name === 'SerializationException' || (error.$fault === 'client' && status === 400)) return 'validation';
  if (status === null && code !== null && NETWORK_CODES.has(code)) return 'network';
  if (status === null && /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|terminated|other side closed/i.test(message)) return 'network';
  return 'other';
}

/**
 * The class of any failure of an AWS call. `timedOut`: the caller's own deadline fired, whatever the SDK then threw.
 */
export function classifyAwsError(error: unknown, { timedOut = false }: { timedOut?: boolean } = {}): AwsFailure {
  const shape: SdkErrorShape = error !== null && typeof error === 'object' ? (error as SdkErrorShape) : { message: String(error) };
  const code = nodeCode(shape);
  const credentialCode = error instanceof CredentialsError ? error.code : null;
  const message = shape.message || (code ? `${code}` : String(error));
  const keyRejected = API_KEY_REJECTED.test(message) ? 'ApiKeyRejected' : null;
  const name = credentialCode ?? keyRejected ?? (shape.name && shape.name !== 'Error' ? shape.name : (code ?? shape.name ?? 'Error'));
  const status = shape.$metadata?.httpStatusCode ?? null;
  const errorClass = timedOut ? 'timeout' : classOf(shape, shape.name ?? '', message, status, code);
  return {
    errorClass,
    name,
    upstreamMessage: message,
    httpStatus: status,
    requestId: shape.$metadata?.requestId ?? null,
    fault: shape.$fault ?? null,
    retryable: errorClass === 'throttled' || errorClass === 'modelNotReady' || errorClass === 'network' || shape.$retryable !== undefined,
  };
}

/** What was being called, for the message: as much as the caller knows. */
export interface CallContext {
  /** The service in words ("Bedrock", "STS"). */
  service?: string;
  region?: string;
  /** The id that was invoked (a model id or an inference profile id). */
  invokeId?: string;
  /** The foundation model behind it, for the access message. */
  modelId?: string;
  /** The AWS profile in use, for the commands the fix names. */
  profile?: string | null;
  /** Text that had streamed before the failure (kept by the caller). */
  midStream?: boolean;
  /** Removes credentials from upstream text. */
  redact: (text: string) => string;
}

/** An AWS failure as the user meets it: the class, a message with its fix, and the redacted upstream text. */
export class AwsCallError extends Error {
  readonly code: string;
  constructor(
    readonly failure: Omit<AwsFailure, 'upstreamMessage'>,
    message: string,
    /** What to do about it, in one sentence; null where nothing is to be done but wait or look. */
    readonly fix: string | null,
    /** Text streamed before the failure (a mid-stream throttle or a dropped connection). */
    readonly partialText: string = '',
  ) {
    super(message);
    this.name = failure.name;
    // Credential failures keep their specific name as the code (SSOTokenExpired, CredentialsMissing, ExpiredTokenException),
    // which the UI and scripts read; other unclassified failures keep the service's exception name.
    this.code = failure.errorClass === 'credentials' || failure.errorClass === 'other' ? failure.name : ERROR_CLASS_CODES[failure.errorClass];
  }

  get errorClass(): ErrorClass {
    return this.failure.errorClass;
  }

  get requestId(): string | null {
    return this.failure.requestId;
  }
}

function profileHint(profile: string | null | undefined): string {
  return profile ? `--profile ${profile}` : '--profile NAME';
}

function explanation(failure: AwsFailure, context: CallContext): { what: string; fix: string | null } {
  const region = context.region ?? 'this region';
  const where = context.invokeId ? `${context.invokeId} in ${region}` : `${context.service ?? 'AWS'} in ${region}`;
  const midStream = context.midStream ? ' (the text received before it is kept)' : '';
  const model = context.modelId ?? context.invokeId ?? 'this model';
  switch (failure.errorClass) {
    case 'throttled':
      return { what: `${context.service ?? 'Bedrock'} throttled ${where}${midStream}`, fix: 'wait and retry, lower the concurrency, or use a cross-region profile to spread the load' };
    case 'modelNotReady':
      return { what: `${model} is not ready in ${region} yet${midStream}`, fix: 'retry in a little while: Bedrock is loading the model' };
    case 'accessDenied':
      return {
        what: `Your account has no access to ${model} in ${region}`,
        fix: `request access in the Bedrock console (https://console.aws.amazon.com/bedrock/home?region=${region}#/modelaccess), and check that your IAM policy allows bedrock:InvokeModel there`,
      };
    case 'organizationPolicy':
      return { what: `An organization policy (SCP) denies ${where}`, fix: `ask your AWS administrator to allow it in ${region}, or call from a region the policy allows` };
    case 'needsProfile':
      return { what: `${model} is served in ${region} only through an inference profile`, fix: 'call an inference profile id (us., eu., apac., global.) instead of the bare model id, or turn on auto-profile' };
    case 'notOffered':
      return { what: `${context.invokeId ?? model} is not offered in ${region}`, fix: 'pick a region where the matrix shows it, or an inference profile that serves it' };
    case 'validation':
      return { what: `${context.service ?? 'Bedrock'} refused the request for ${where}`, fix: null };
    case 'timeout':
      return {
        what: `No answer from ${region}${context.invokeId ? ` for ${context.invokeId}` : ''} in time${midStream}`,
        fix: 'the region may be unreachable from this network; retry, or raise the timeout',
      };
    case 'network':
      return CONNECT_FAILURES.has(failure.name)
        ? { what: `Could not connect to ${context.service ?? 'AWS'} in ${region} (${failure.name})`, fix: 'check the network, the proxy or the endpoint URL, and that it is running' }
        : { what: `The connection to ${region} dropped${midStream}`, fix: 'check the network, proxy or endpoint and retry' };
    case 'credentials':
      return credentialExplanation(failure, context);
    default:
      if (failure.fault === 'server' || (failure.httpStatus ?? 0) >= 500) {
        const status = failure.httpStatus ? ` (HTTP ${failure.httpStatus})` : '';
        return { what: `${where} failed on AWS's side${status}${midStream}`, fix: 'retry in a little while' };
      }
      return { what: `${where} failed${midStream}`, fix: null };
  }
}

function credentialExplanation(failure: AwsFailure, context: CallContext): { what: string; fix: string | null } {
  switch (failure.name) {
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return { what: 'The AWS session token has expired', fix: `refresh it (\`aws sso login ${profileHint(context.profile)}\`, or new temporary keys) and try again` };
    case 'UnrecognizedClientException':
      return {
        what: `${context.region ?? 'This region'} did not accept the credentials: it is not enabled for the account, or the access key is invalid`,
        fix: 'enable opt-in regions in the AWS console (Account > AWS Regions), or check the access key',
      };
    case 'ApiKeyRejected':
      return {
        what: `Bedrock did not accept the API key in ${context.region ?? 'this region'}`,
        fix: 'check that the key is complete and has not expired or been revoked (a short-term key works only in the region that issued it), or generate a new one in the Bedrock console',
      };
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
    case 'RequestTimeTooSkewed':
      return { what: 'The request signature was rejected', fix: "check the secret access key and the machine's clock" };
    default:
      // Our own CredentialsError already names its fix in its message.
      return { what: 'The AWS credentials could not be used', fix: null };
  }
}

/** The user-facing error for any failure of an AWS call: one message, one fix, upstream text redacted and kept. */
export function explainAwsError(error: unknown, context: CallContext, { timedOut = false, partialText = '' } = {}): AwsCallError {
  const failure = classifyAwsError(error, { timedOut });
  const { upstreamMessage, ...kept } = failure;
  const upstream = context.redact(upstreamMessage);
  if (error instanceof CredentialsError) return new AwsCallError(kept, upstream, null, partialText);
  const { what, fix } = explanation(failure, context);
  const message = `${what}${fix ? `: ${fix}` : ''}. (${upstream})`;
  return new AwsCallError(kept, message, fix, partialText);
}
