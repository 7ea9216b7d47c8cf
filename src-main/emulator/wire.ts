import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Operation } from './scenario';

/** What every module of the emulator shares about HTTP: request and response types, errors, routes. */

export type EmulatorRequest = Http2ServerRequest | IncomingMessage;
export type EmulatorResponse = Http2ServerResponse | ServerResponse;

export class BedrockError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    /** Extra response headers, such as `retry-after`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const validation = (message: string) => new BedrockError(400, 'ValidationException', message);

/** Bedrock's own texts, as real clients have met them (README.md lists which are the emulator's own words). */
export const MESSAGES = {
  invalidModel: 'The provided model identifier is invalid.',
  accessDenied: "You don't have access to the model with the specified model ID.",
  throttled: 'Too many requests, please wait before trying again.',
  notEnabled: 'The security token included in the request is invalid.',
  internal: 'Internal server error. Please try again.',
  unavailable: 'Bedrock is unable to process your request.',
  onDemandUnsupported: (modelId: string) =>
    `Invocation of model ID ${modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
} as const;

/** Region from `Credential=AKID/20261122/eu-west-1/bedrock/aws4_request`. */
export function regionFromAuthorization(header: string | undefined): string | null {
  const match = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/.exec(header ?? '');
  return match?.[1] ?? null;
}

/** The access key id from `Credential=AKID/20261122/...`. */
export function accessKeyIdFromAuthorization(header: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(header ?? '')?.[1];
}

export function readBody(request: EmulatorRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function sendJson(response: EmulatorResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function sendError(response: EmulatorResponse, error: BedrockError): void {
  if (response.headersSent || response.destroyed) return;
  response.setHeader('x-amzn-errortype', `${error.errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`);
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  sendJson(response, error.status, { message: error.message });
}

export interface Route {
  operation: Operation;
  /** The decoded `{modelId}` / `{identifier}` path segment. */
  identifier?: string;
}

const RUNTIME_SUFFIXES: Record<string, Operation> = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  'count-tokens': 'CountTokens',
};

/** The Bedrock operation a method and path name, or null. Throws URIError on a malformed percent-encoding. */
export function routeOf(method: string, pathname: string): Route | null {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (method === 'GET') {
    if (segments.length === 1 && segments[0] === 'foundation-models') return { operation: 'ListFoundationModels' };
    if (segments.length === 2 && segments[0] === 'foundation-models')
      return { operation: 'GetFoundationModel', identifier: segments[1] };
    if (segments.length === 1 && segments[0] === 'inference-profiles') return { operation: 'ListInferenceProfiles' };
    if (segments.length === 2 && segments[0] === 'inference-profiles')
      return { operation: 'GetInferenceProfile', identifier: segments[1] };
    if (segments.length === 2 && segments[0] === 'foundation-model-availability')
      return { operation: 'GetFoundationModelAvailability', identifier: segments[1] };
  }
  if (method === 'POST' && segments.length === 3 && segments[0] === 'model') {
    const [, identifier, suffix = ''] = segments;
    const operation = Object.hasOwn(RUNTIME_SUFFIXES, suffix) ? RUNTIME_SUFFIXES[suffix] : undefined;
    if (operation) return { operation, identifier };
  }
  return null;
}
