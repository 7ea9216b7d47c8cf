import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { SSO_ERROR_CODES, type SsoSignInChunk } from '../../../src-shared/contract';
import { explainAwsError } from '../aws/errors';
import { SsoSignInError } from './sso-errors';
import type { SsoProfile } from './sso-profile';
import { cliTimestamp, prepareTokenCache, writeCachedToken, type CachedSsoToken } from './token-cache';

/**
 * IAM Identity Center's OIDC device authorization, as `aws sso login` runs it: RegisterClient, then
 * StartDeviceAuthorization (a code for the user to approve in the browser), then CreateToken polled at the interval
 * AWS gives, five seconds more each time AWS says `slow_down`, until a token, a denial or the code's expiry. The
 * token goes to the cache file the CLI and the SDK share. The signal cancels every step: a call in flight, the wait
 * between polls; a sign-in cancelled before the write leaves nothing behind.
 */

/** How the polling waits, and what time it is: tests give a clock that records the waits instead of sleeping. */
export interface PollClock {
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
}

export const SYSTEM_CLOCK: PollClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** RFC 8628: a client that is told to slow down adds five seconds to its interval. */
export const SLOW_DOWN_STEP_MS = 5_000;
/** RFC 8628's default when the server gives no interval. */
const DEFAULT_INTERVAL_S = 5;
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceSignIn {
  client: SSOOIDCClient;
  profile: SsoProfile;
  signal: AbortSignal;
  emit(chunk: SsoSignInChunk): Promise<void>;
  clock?: PollClock;
  redact(text: string): string;
}

export interface SignedIn {
  expiresAt: string;
  cacheFile: string;
}

export async function deviceSignIn({ client, profile, signal, emit, clock = SYSTEM_CLOCK, redact }: DeviceSignIn): Promise<SignedIn> {
  const call = { abortSignal: signal };
  const oidcFailure = (error: unknown): Error => {
    if (signal.aborted) return error instanceof Error ? error : new Error(String(error));
    return explainAwsError(error, { service: 'IAM Identity Center (SSO OIDC)', region: profile.region, profile: profile.profile, redact });
  };
  signal.throwIfAborted();
  await emit({ phase: 'registering', verificationUri: null, userCode: null, expiresAt: null });
  // The token must be storable before the user is sent to approve anything.
  await prepareTokenCache(profile.cacheKey);
  signal.throwIfAborted();

  const registration = await client
    .send(new (await import('@aws-sdk/client-sso-oidc')).RegisterClientCommand({ clientName: 'bedrock-atlas', clientType: 'public', ...(profile.scopes.length > 0 ? { scopes: profile.scopes } : {}) }), call)
    .catch((error: unknown) => Promise.reject(oidcFailure(error)));
  const { clientId, clientSecret } = registration;
  if (!clientId || !clientSecret) throw new Error('IAM Identity Center registered no client (no clientId or clientSecret in its answer).');
  const registrationExpiresAt = cliTimestamp((registration.clientSecretExpiresAt ?? 0) * 1000);

  const authorization = await client
    .send(new (await import('@aws-sdk/client-sso-oidc')).StartDeviceAuthorizationCommand({ clientId, clientSecret, startUrl: profile.startUrl }), call)
    .catch((error: unknown) => Promise.reject(oidcFailure(error)));
  const { deviceCode, userCode } = authorization;
  const verificationUri = authorization.verificationUriComplete ?? authorization.verificationUri ?? null;
  if (!deviceCode || !userCode || !verificationUri) throw new Error('IAM Identity Center started no device authorization (no device code, user code or verification URL).');
  const deadline = clock.now() + (authorization.expiresIn ?? 600) * 1000;
  const code = { verificationUri, userCode, expiresAt: cliTimestamp(deadline) };
  await emit({ phase: 'authorizing', ...code });

  let intervalMs = (authorization.interval ?? DEFAULT_INTERVAL_S) * 1000;
  let waitingSaid = false;
  for (;;) {
    await clock.sleep(intervalMs, signal);
    if (clock.now() >= deadline) throw expired(code.userCode);
    try {
      const token = await client.send(new (await import('@aws-sdk/client-sso-oidc')).CreateTokenCommand({ clientId, clientSecret, grantType: DEVICE_CODE_GRANT, deviceCode }), call);
      if (!token.accessToken || token.expiresIn === undefined) throw new Error('IAM Identity Center answered without an access token or its lifetime.');
      signal.throwIfAborted();
      await emit({ phase: 'writing', ...code });
      const cached: CachedSsoToken = {
        startUrl: profile.startUrl,
        region: profile.region,
        accessToken: token.accessToken,
        expiresAt: cliTimestamp(clock.now() + token.expiresIn * 1000),
        clientId,
        clientSecret,
        registrationExpiresAt,
        ...(token.refreshToken ? { refreshToken: token.refreshToken } : {}),
      };
      return { expiresAt: cached.expiresAt, cacheFile: await writeCachedToken(profile.cacheKey, cached) };
    } catch (error) {
      if (signal.aborted || error instanceof SsoSignInError) throw error;
      switch ((error as Error).name) {
        case 'AuthorizationPendingException':
          if (!waitingSaid) await emit({ phase: 'waiting', ...code });
          waitingSaid = true;
          continue;
        case 'SlowDownException':
          intervalMs += SLOW_DOWN_STEP_MS;
          continue;
        case 'AccessDeniedException':
          throw new SsoSignInError(
            `The sign-in to ${profile.startUrl} was denied (code ${code.userCode}): the request was refused in the browser, or your IAM Identity Center administrator does not allow it. Sign in again and choose Allow, or ask your administrator.`,
            SSO_ERROR_CODES.denied,
          );
        case 'ExpiredTokenException':
          throw expired(code.userCode);
        default:
          throw oidcFailure(error);
      }
    }
  }
}

function expired(userCode: string): SsoSignInError {
  return new SsoSignInError(`The sign-in code ${userCode} expired before it was approved. Sign in again and approve the new code in the browser.`, SSO_ERROR_CODES.expired);
}
