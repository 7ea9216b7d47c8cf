import { readBody, type EmulatorRequest, type EmulatorResponse } from '../wire';
import type { Scenario } from '../scenario';
import { QueryError, sendQueryError } from './query-protocol';
import type { ServiceContext } from './context';
import { contentTypeOf } from './json-protocol';
import type { EmulatedService } from './service';
import { cloudTrailService } from './cloudtrail';
import { cloudWatchService } from './cloudwatch';
import { iamService } from './iam';
import { pricingService } from './pricing';
import { s3Service } from './s3';
import { serviceQuotasService } from './service-quotas';
import { ssoOidcService, ssoPortalService } from './sso';
import { stsService } from './sts';

/** Every service the emulator speaks besides Bedrock (which is dispatched by path). One line each. */
export const SERVICES: readonly EmulatedService[] = [stsService, iamService, ssoOidcService, ssoPortalService, serviceQuotasService, cloudWatchService, pricingService, cloudTrailService, s3Service];

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

function scopeOf(request: EmulatorRequest): { accessKeyId: string; region: string; service: string } | null {
  const match = SCOPE.exec(request.headers.authorization ?? '');
  return match ? { accessKeyId: match[1]!, region: match[2]!, service: match[3]! } : null;
}

/**
 * The service a request is for, told as AWS tells it: an `X-Amz-Target` header names an awsJson service and its
 * operation; a form-encoded POST signed for a query service (STS, IAM) carries its `Action` in the body; any request
 * signed for a restXml service (S3) is that service's, whatever its method and path. Anything else is Bedrock's,
 * dispatched by path.
 */
export function serviceOf(request: EmulatorRequest): EmulatedService | null {
  const signedFor = scopeOf(request)?.service;
  const restXml = SERVICES.find((service) => service.protocol === 'restXml' && service.signingName === signedFor);
  if (restXml) return restXml;
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return SERVICES.find((service) => service.protocol === 'awsJson' && target.startsWith(`${service.targetPrefix}.`)) ?? null;
  const form = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  if (request.method === 'POST' && form) return SERVICES.find((service) => service.protocol === 'query' && service.signingName === signedFor) ?? null;
  // restJson services by method and path (IAM Identity Center's OIDC and portal paths), checked before Bedrock's
  // paths, which none of them shares.
  const path = new URL(request.url ?? '/', 'http://emulator').pathname;
  return SERVICES.find((service) => service.protocol === 'restJson' && service.operationAt?.(request.method ?? 'GET', path)) ?? null;
}

export interface ServiceDispatch {
  scenario: Scenario;
  requestId: string;
  countRequest(region: string, operation: string): void;
  context: ServiceContext;
}

export async function answerService(service: EmulatedService, request: EmulatorRequest, response: EmulatorResponse, dispatch: ServiceDispatch): Promise<void> {
  if (service.protocol === 'restXml') return answerRestXml(service, request, response, dispatch);
  const { requestId } = dispatch;
  const body = await readBody(request);
  const scope = scopeOf(request);
  try {
    // IAM Identity Center's OIDC and portal calls are unsigned (the portal's bearer token is their authentication).
    if (service.protocol === 'restJson') return await answerRestJson(service, request, response, dispatch, body);
    if (!scope) throw new QueryError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    const target = request.headers['x-amz-target'];
    const parameters = service.protocol === 'query' ? new URLSearchParams(body) : jsonBody(body);
    const operation = service.protocol === 'query' ? ((parameters as URLSearchParams).get('Action') ?? '') : String(target).slice(`${service.targetPrefix}.`.length);
    dispatch.countRequest(scope.region, `${service.signingName}:${operation}`);
    await service.answer({ request, response, operation, parameters, region: scope.region, accessKeyId: scope.accessKeyId, scenario: dispatch.scenario, requestId, context: dispatch.context });
  } catch (error) {
    const failure = error instanceof QueryError ? error : new QueryError(500, 'InternalFailure', (error as Error).message, 'Receiver');
    if (service.protocol === 'query') sendQueryError(response, failure, requestId);
    else if (service.protocol === 'restJson') sendRestJsonError(response, failure);
    else sendAwsJsonError(service, response, failure);
  }
}

function jsonBody(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below, as AWS answers a body it cannot read
  }
  throw new QueryError(400, 'SerializationException', 'Start of structure or map found where not expected.');
}

/**
 * awsJson errors as AWS sends them: the exception's name in `__type` and `x-amzn-errortype`, its text in the member
 * the service's model names. A query-compatible service (CloudWatch) adds `x-amzn-query-error: Code;Sender`, which
 * the SDK reads first to name the exception as the query protocol did.
 */
function sendAwsJsonError(service: EmulatedService, response: EmulatorResponse, failure: QueryError): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify({ __type: failure.code, [service.errorMessageMember ?? 'message']: failure.message });
  const shortName = failure.code.split('#').at(-1) ?? failure.code;
  const headers: Record<string, string | number> = { 'content-type': contentTypeOf(service), 'x-amzn-errortype': shortName, 'content-length': Buffer.byteLength(text) };
  const queryCode = service.queryErrorCode?.(shortName);
  if (queryCode) headers['x-amzn-query-error'] = `${queryCode};${failure.type}`;
  response.writeHead(failure.status, headers);
  response.end(text);
}

/** A restJson call: the operation from its method and path, its input from the JSON body or, for a GET, the query. */
async function answerRestJson(service: EmulatedService, request: EmulatorRequest, response: EmulatorResponse, dispatch: ServiceDispatch, body: string): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://emulator');
  const operation = service.operationAt?.(request.method ?? 'GET', url.pathname) ?? '';
  let parameters: Record<string, unknown>;
  try {
    parameters = request.method === 'GET' ? Object.fromEntries(url.searchParams) : (JSON.parse(body || '{}') as Record<string, unknown>);
  } catch {
    throw new QueryError(400, 'InvalidRequestException', 'The request body is not JSON');
  }
  const region = scopeOf(request)?.region ?? 'unsigned';
  dispatch.countRequest(region, `${service.signingName}:${operation}`);
  await service.answer({ request, response, operation, parameters, region, accessKeyId: '', scenario: dispatch.scenario, requestId: dispatch.requestId, context: dispatch.context });
}

/** restJson errors as AWS sends them: the exception's name in `x-amzn-errortype`, the text in the JSON body. */
function sendRestJsonError(response: EmulatorResponse, failure: QueryError): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify({ message: failure.message });
  response.writeHead(failure.status, { 'content-type': 'application/json', 'x-amzn-errortype': failure.code, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** A restXml call (S3): counted by the operation its request names; the service reads the body and answers errors itself. */
async function answerRestXml(service: EmulatedService, request: EmulatorRequest, response: EmulatorResponse, dispatch: ServiceDispatch): Promise<void> {
  const operation = service.operationOf?.(request) ?? '';
  const { region, accessKeyId } = scopeOf(request) ?? { region: 'unsigned', accessKeyId: '' };
  dispatch.countRequest(region, `${service.signingName}:${operation}`);
  await service.answer({ request, response, operation, parameters: {}, region, accessKeyId, scenario: dispatch.scenario, requestId: dispatch.requestId, context: dispatch.context });
}
