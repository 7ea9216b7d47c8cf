import type { EmulatorResponse } from '../wire';

/**
 * The AWS query protocol's answers (STS, IAM): XML documents named after the action, and errors in an
 * `ErrorResponse` whose `Code` the SDK turns into the exception's name.
 */

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);

/** A result's fields as XML elements, in order. */
export function xmlFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
}

export function sendQueryResult(response: EmulatorResponse, action: string, namespace: string, resultXml: string, requestId: string): void {
  const body =
    `<${action}Response xmlns="${namespace}"><${action}Result>${resultXml}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  if (response.headersSent || response.destroyed) return;
  response.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

export class QueryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

export function sendQueryError(response: EmulatorResponse, error: QueryError, requestId: string): void {
  const body =
    `<ErrorResponse><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  if (response.headersSent || response.destroyed) return;
  response.writeHead(error.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
