import { createHmac } from 'node:crypto';
import { BedrockError } from './wire';

/**
 * Bedrock API keys (bearer auth) in the emulator. The emulator accepts a key it issued (the scenario's `apiKeys`)
 * and refuses any other as Bedrock does, with 403 AccessDeniedException "Authentication failed: Please make sure
 * your API Key is valid.": a key it never issued, a malformed one, a short-term key past its expiry, or a
 * short-term key used in a region other than the one that signed it.
 *
 * A bearer request names no region (SigV4 names it in the signature's scope; AWS knows it from the host name).
 * Behind one endpoint the client says it in `x-bedrock-atlas-region`; without that header the request is taken
 * as us-east-1's, like the SDK's default.
 */

export const REGION_HEADER = 'x-bedrock-atlas-region';
export const DEFAULT_BEARER_REGION = 'us-east-1';
export const API_KEY_REFUSED = 'Authentication failed: Please make sure your API Key is valid.';

/** The example credentials of the AWS documentation: keys the emulator issues are signed with them. */
const EXAMPLE_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export function bearerTokenOf(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/.exec(authorization ?? '');
  return match?.[1] ?? null;
}

const amzDate = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * A short-term key in the documented format (`bedrock-api-key-` + base64 of a presigned SigV4 URL for
 * `CallWithBearerToken`), as the console or aws-bedrock-token-generator issues it. The signature is an HMAC of the
 * query with the documentation's example secret: real-looking, and the emulator checks region and expiry, not it.
 */
export function issueShortTermKey({ region, signedAt = new Date(), expiresSeconds = 43_200 }: { region: string; signedAt?: Date; expiresSeconds?: number }): string {
  const date = amzDate(signedAt);
  const credential = encodeURIComponent(`${EXAMPLE_ACCESS_KEY_ID}/${date.slice(0, 8)}/${region}/bedrock/aws4_request`);
  const query =
    `Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${credential}&X-Amz-Date=${date}` +
    `&X-Amz-Expires=${expiresSeconds}&X-Amz-SignedHeaders=host`;
  const signature = createHmac('sha256', EXAMPLE_SECRET).update(query).digest('hex');
  const url = `bedrock.amazonaws.com/?${query}&X-Amz-Signature=${signature}&Version=1`;
  return `bedrock-api-key-${Buffer.from(url).toString('base64')}`;
}

/** A long-term key in the observed format: `ABSK` + base64 of `BedrockAPIKey-<id>-at-<account>:<secret>`. */
export function issueLongTermKey({ account = '123456789012', id = 'emul' }: { account?: string; id?: string } = {}): string {
  const secret = createHmac('sha256', EXAMPLE_SECRET).update(`${id}:${account}`).digest('base64');
  return `ABSK${Buffer.from(`BedrockAPIKey-${id}-at-${account}:${secret}`).toString('base64')}`;
}

/** The region and expiry a short-term key encodes; null for anything that is not one. */
function shortTermScope(token: string): { region: string; expiresAt: number } | null {
  if (!token.startsWith('bedrock-api-key-')) return null;
  const url = Buffer.from(token.slice('bedrock-api-key-'.length), 'base64').toString('utf8');
  const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  const region = query.get('X-Amz-Credential')?.split('/')[2];
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  const expires = Number(query.get('X-Amz-Expires'));
  if (!region || !date || !Number.isInteger(expires)) return null;
  const [, y, mo, d, h, mi, s] = date;
  return { region, expiresAt: Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`) + expires * 1000 };
}

/** The region a bearer request is for. */
export function bearerRegion(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(value) ? value : DEFAULT_BEARER_REGION;
}

/** Throws Bedrock's 403 unless the key is one the scenario issued, still valid, and (short-term) of this region. */
export function checkBearerToken(token: string, region: string, issued: readonly string[], now: number = Date.now()): void {
  if (!issued.includes(token)) throw new BedrockError(403, 'AccessDeniedException', API_KEY_REFUSED);
  if (!token.startsWith('bedrock-api-key-')) return;
  const scope = shortTermScope(token);
  if (!scope || scope.expiresAt <= now || scope.region !== region) throw new BedrockError(403, 'AccessDeniedException', API_KEY_REFUSED);
}
