import { access, constants, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { getSSOTokenFilepath } from '@smithy/core/config';
import { SSO_ERROR_CODES } from '../../../src-shared/contract';
import { writeFileAtomic } from '../storage/atomic-write';
import { SsoSignInError } from './sso-errors';

/**
 * The IAM Identity Center token cache the AWS CLI, the SDKs and this app share: `~/.aws/sso/cache/<sha1 hex of the
 * session name, or of the start URL for a legacy profile>.json`, the name the SDK's own `getSSOTokenFilepath`
 * gives (so the credential chain finds what is written here), in the shape the CLI writes and the SDK reads.
 * Written atomically, the file 0600 in a 0700 directory: it holds a bearer token.
 */

export interface CachedSsoToken {
  startUrl: string;
  region: string;
  accessToken: string;
  /** ISO 8601 in UTC without milliseconds, as the AWS CLI writes it (`2026-12-07T08:00:00Z`). */
  expiresAt: string;
  clientId: string;
  clientSecret: string;
  registrationExpiresAt: string;
  /** Only for `sso-session` profiles registered with scopes: the SDK refreshes the token with it. */
  refreshToken?: string;
}

export function tokenCacheFile(cacheKey: string): string {
  return getSSOTokenFilepath(cacheKey);
}

/** `2026-12-07T08:00:00Z`: the CLI's format, to the second. */
export function cliTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The cached token's expiry, or null when there is no readable token (missing file, damaged JSON, no expiry). */
export async function cachedTokenExpiry(cacheKey: string): Promise<Date | null> {
  try {
    const token = JSON.parse(await readFile(tokenCacheFile(cacheKey), 'utf8')) as Partial<CachedSsoToken>;
    if (typeof token.accessToken !== 'string' || typeof token.expiresAt !== 'string') return null;
    const expiry = new Date(token.expiresAt);
    return Number.isNaN(expiry.getTime()) ? null : expiry;
  } catch {
    return null;
  }
}

function unwritable(directory: string, error: unknown): SsoSignInError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const fix =
    code === 'ENOTDIR' || code === 'EEXIST'
      ? `a file stands where a directory should be; move it away so ${directory} can be created`
      : `make it writable by you (\`mkdir -p ${directory} && chmod 700 ${directory}\`)`;
  return new SsoSignInError(`Cannot write the SSO token cache in ${directory} (${code}): ${fix}, then sign in again.`, SSO_ERROR_CODES.cacheUnwritable);
}

/**
 * Creates the cache directory (0700) if needed and checks it can take the token, before the user is sent to the
 * browser: a sign-in that would fail at the very end says so first.
 */
export async function prepareTokenCache(cacheKey: string): Promise<string> {
  const directory = dirname(tokenCacheFile(cacheKey));
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await access(directory, constants.W_OK);
  } catch (error) {
    throw unwritable(directory, error);
  }
  return directory;
}

/** Writes the token whole or not at all (a temporary file renamed into place). */
export async function writeCachedToken(cacheKey: string, token: CachedSsoToken): Promise<string> {
  const file = tokenCacheFile(cacheKey);
  await prepareTokenCache(cacheKey);
  try {
    await writeFileAtomic(file, `${JSON.stringify(token, null, 2)}\n`, 0o600);
  } catch (error) {
    throw unwritable(dirname(file), error);
  }
  return file;
}
