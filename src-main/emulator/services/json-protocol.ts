import type { z } from 'zod';
import { QueryError } from './query-protocol';
import type { EmulatedService, ServiceCall } from './service';

/**
 * The awsJson protocols' answers (Service Quotas and the Price List API speak 1.1, CloudWatch 1.0): a JSON body
 * with the content type of the version, timestamps as epoch seconds; input checked the way AWS's front end checks
 * it ("1 validation error detected: …"); page tokens that name the listing they continue.
 */

export function contentTypeOf(service: EmulatedService): string {
  return `application/x-amz-json-${service.jsonVersion ?? '1.1'}`;
}

export function sendJsonResult(call: ServiceCall, service: EmulatedService, body: unknown): void {
  const { response } = call;
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': contentTypeOf(service), 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The operation's input, or AWS's ValidationException naming the first member that breaks its constraints. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, parameters: ServiceCall['parameters']): z.output<Schema> {
  const result = schema.safeParse(parameters instanceof URLSearchParams ? Object.fromEntries(parameters) : parameters);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const member = issue?.path.map(String).join('.') || 'input';
  throw new QueryError(400, 'ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${issue?.message ?? 'invalid'}`);
}

/**
 * A page token: base64 of what the listing needs to continue (the operation, the filters that must not change, the
 * offset), so a token from another listing or a tampered one is refused as AWS refuses it.
 */
export function encodePageToken(listing: string, offset: number, extra: Record<string, unknown> = {}): string {
  return Buffer.from(JSON.stringify({ listing, offset, ...extra })).toString('base64');
}

export interface PageToken {
  offset: number;
  [key: string]: unknown;
}

/** The token's content when it continues `listing`, else null. */
export function decodePageToken(token: string, listing: string): PageToken | null {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>;
    if (decoded.listing !== listing || typeof decoded.offset !== 'number' || !Number.isInteger(decoded.offset) || decoded.offset < 0) return null;
    return decoded as PageToken;
  } catch {
    return null;
  }
}

/**
 * One page of `items`: at most `size` from the token's offset, and the token of the next page when more remain.
 * `invalidToken` is the error the service answers for a token it did not hand out.
 */
export function page<Item>(items: readonly Item[], options: { listing: string; token?: string; size: number; invalidToken: () => QueryError }): { items: Item[]; nextToken?: string } {
  const offset = options.token ? decodePageToken(options.token, options.listing)?.offset : 0;
  if (offset === undefined || offset > items.length) throw options.invalidToken();
  const end = offset + options.size;
  return { items: items.slice(offset, end), ...(end < items.length ? { nextToken: encodePageToken(options.listing, end) } : {}) };
}
