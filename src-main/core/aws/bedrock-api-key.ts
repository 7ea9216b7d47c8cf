import { API_KEY_REGION_CODE } from '../../../src-shared/contract/identity';
import { CredentialsError } from './credential-errors';

/**
 * Amazon Bedrock API keys, recognised from their documented formats (src-main/core/identity/fixtures/README.md):
 * - short-term: `bedrock-api-key-` + base64 of a SigV4 presigned URL (`bedrock.amazonaws.com/?Action=
 *   CallWithBearerToken&X-Amz-Credential=AKID/yyyymmdd/REGION/bedrock/aws4_request&X-Amz-Date=…&X-Amz-Expires=…`),
 *   valid up to 12 h and only in the region that signed it;
 * - long-term: `ABSK` + base64 of `BedrockAPIKey-…:…`, tied to an IAM user, valid in every region.
 * The SDK's Bedrock clients send the key as `Authorization: Bearer`. The key itself is a secret: nothing here puts
 * it (or any part of it) in a message.
 */

export type ApiKeyKind = 'short-term' | 'long-term';

export type ParsedApiKey =
  | { kind: 'short-term'; region: string; signedAt: Date; expiresAt: Date }
  | { kind: 'long-term'; region: null };

/** Where the key in force came from: `AWS_BEARER_TOKEN_BEDROCK`, or the desktop app's encrypted store. */
export type ApiKeySource = 'environment' | 'vault';

export const SHORT_TERM_PREFIX = 'bedrock-api-key-';
export const LONG_TERM_PREFIX = 'ABSK';
/** AWS documents short-term keys as lasting at most 12 hours. */
export const SHORT_TERM_MAX_SECONDS = 12 * 60 * 60;
export const API_KEY_ENV = 'AWS_BEARER_TOKEN_BEDROCK';

/** Why a text is not a usable Bedrock API key; the message never quotes the key. */
export class ApiKeyFormatError extends CredentialsError {
  constructor(reason: string) {
    super(`The Bedrock API key is not valid: ${reason}. Generate a new key in the Bedrock console (API keys), or unset ${API_KEY_ENV}.`, 'ApiKeyMalformed');
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function decodeBase64(text: string): string | null {
  if (text.length === 0 || !BASE64.test(text)) return null;
  return Buffer.from(text, 'base64').toString('utf8');
}

function parseShortTerm(body: string): ParsedApiKey {
  const url = decodeBase64(body);
  if (url === null || !url.startsWith('bedrock.amazonaws.com/?')) {
    throw new ApiKeyFormatError('a short-term key (bedrock-api-key-…) must encode a presigned bedrock.amazonaws.com URL, and this one does not');
  }
  const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  const credential = query.get('X-Amz-Credential');
  if (credential === null) throw new ApiKeyFormatError('the short-term key has no X-Amz-Credential, so it names no region');
  const region = credential.split('/')[2] ?? '';
  if (!REGION.test(region)) throw new ApiKeyFormatError('the short-term key names no region in its X-Amz-Credential scope');
  const date = AMZ_DATE.exec(query.get('X-Amz-Date') ?? '');
  if (!date) throw new ApiKeyFormatError('the short-term key has no valid X-Amz-Date, so its expiry is unknown');
  const [, year, month, day, hour, minute, second] = date;
  const signedAt = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  const expiresText = query.get('X-Amz-Expires') ?? '';
  const expires = Number(expiresText);
  if (!/^\d+$/.test(expiresText) || expires < 1 || expires > SHORT_TERM_MAX_SECONDS || Number.isNaN(signedAt.getTime())) {
    throw new ApiKeyFormatError(`the short-term key's X-Amz-Expires must be 1 to ${SHORT_TERM_MAX_SECONDS} seconds (12 h)`);
  }
  return { kind: 'short-term', region, signedAt, expiresAt: new Date(signedAt.getTime() + expires * 1000) };
}

function parseLongTerm(body: string): ParsedApiKey {
  const decoded = decodeBase64(body);
  if (decoded === null || !/^BedrockAPIKey-[^:\s]+:\S+$/.test(decoded)) {
    throw new ApiKeyFormatError('a long-term key (ABSK…) must encode BedrockAPIKey-…:…, and this one does not');
  }
  return { kind: 'long-term', region: null };
}

/** The key's kind, region and expiry, read from the key alone (no AWS call); throws ApiKeyFormatError. */
export function parseBedrockApiKey(key: string): ParsedApiKey {
  const trimmed = key.trim();
  if (trimmed.startsWith(SHORT_TERM_PREFIX)) return parseShortTerm(trimmed.slice(SHORT_TERM_PREFIX.length));
  if (trimmed.startsWith(LONG_TERM_PREFIX)) return parseLongTerm(trimmed.slice(LONG_TERM_PREFIX.length));
  throw new ApiKeyFormatError('a Bedrock API key starts with bedrock-api-key- (short-term) or ABSK (long-term)');
}

/**
 * Where the desktop app keeps a key the user pasted: the Electron shell implements it with `safeStorage` (the OS
 * keychain); hosts that cannot keep a secret safely pass none. The core never writes the key anywhere else.
 */
export interface ApiKeyVault {
  get(): Promise<string | null>;
  set(key: string): Promise<void>;
  clear(): Promise<void>;
}

/** The key in force, with what its format says, or why it is unusable. */
export interface ActiveApiKey {
  source: ApiKeySource;
  secret: string;
  parsed: ParsedApiKey | null;
  problem: ApiKeyFormatError | null;
}

function activate(secret: string, source: ApiKeySource): ActiveApiKey {
  try {
    return { source, secret: secret.trim(), parsed: parseBedrockApiKey(secret), problem: null };
  } catch (error) {
    if (error instanceof ApiKeyFormatError) return { source, secret: secret.trim(), parsed: null, problem: error };
    throw error;
  }
}

/**
 * The Bedrock API key the app's Bedrock calls use, if any: `AWS_BEARER_TOKEN_BEDROCK` wins (as it does for every
 * AWS SDK and for this run only), else the key kept in the vault. The vault is read once, lazily; `set` and
 * `clear` change it for the calls that follow.
 */
export class BedrockApiKeys {
  private vaultKey: ActiveApiKey | null = null;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly environmentKey: string | null,
    readonly vault: ApiKeyVault | null,
  ) {}

  /** Resolves once the vault has been read (at once without a vault). A vault that cannot be read holds nothing. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      const stored = this.vault ? await this.vault.get().catch(() => null) : null;
      this.vaultKey = stored ? activate(stored, 'vault') : null;
    })();
    return this.loading;
  }

  /** The key in force now; call `ready()` first for the vault's. */
  current(): ActiveApiKey | null {
    if (this.environmentKey && this.environmentKey.trim() !== '') return activate(this.environmentKey, 'environment');
    return this.vaultKey;
  }

  /** Every key value this holder knows (for redaction), longest first. */
  secrets(): string[] {
    return [this.environmentKey?.trim(), this.vaultKey?.secret].filter((value): value is string => Boolean(value && value.length >= 8));
  }

  /** Keeps a pasted key in the vault, after checking its format (a malformed key is refused, nothing stored). */
  async set(key: string): Promise<ParsedApiKey> {
    if (!this.vault) throw new NoVaultError();
    const parsed = parseBedrockApiKey(key);
    await this.ready();
    await this.vault.set(key.trim());
    this.vaultKey = activate(key, 'vault');
    return parsed;
  }

  async clear(): Promise<void> {
    if (!this.vault) throw new NoVaultError();
    await this.ready();
    await this.vault.clear();
    this.vaultKey = null;
  }
}

export class NoVaultError extends Error {
  override readonly name = 'NoVaultError';
  readonly code = 'NO_KEY_STORE';
  constructor() {
    super(`The browser host accepts the environment variable only: start it with ${API_KEY_ENV} set to use a Bedrock API key.`);
  }
}

/**
 * Why the key cannot make a Bedrock call in `region` now, or null when it can: a malformed key, an expired
 * short-term key, or a short-term key of another region. Checked before the request is sent, so a scan of 33
 * regions says once why 32 of them are not callable with this key instead of collecting 32 AccessDenied errors.
 */
export function apiKeyRefusal(key: ActiveApiKey, region: string, now: Date = new Date()): CredentialsError | null {
  if (key.problem) return key.problem;
  const parsed = key.parsed;
  if (parsed?.kind !== 'short-term') return null;
  if (parsed.expiresAt.getTime() <= now.getTime()) {
    return new CredentialsError(
      `The short-term Bedrock API key expired at ${parsed.expiresAt.toISOString()}: generate a new one (short-term keys last at most 12 hours), or use a long-term key or AWS credentials.`,
      'ApiKeyExpired',
    );
  }
  if (parsed.region !== region) return new ApiKeyRegionError(parsed.region, region);
  return null;
}

/** A short-term key used outside its region: the region is "not callable with this key", not failed. */
export class ApiKeyRegionError extends CredentialsError {
  constructor(
    readonly keyRegion: string,
    readonly region: string,
  ) {
    super(
      `This short-term API key works only in ${keyRegion}: ${region} is not callable with this key. Use AWS credentials or a long-term API key to call other regions.`,
      API_KEY_REGION_CODE,
    );
  }
}
