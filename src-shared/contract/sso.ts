import { z } from 'zod';
import { method, stream } from './define';

/**
 * Sign in with IAM Identity Center from the app: whether the profile in force is an SSO profile and its token is
 * valid, expired or missing (`ssoStatus`), and the device authorization sign-in (`ssoSignIn`, a stream: cancel it
 * to stop at any step). The token itself never crosses this contract.
 */

/** The codes of a sign-in that did not end signed in, stable for the UI and the CLI. */
export const SSO_ERROR_CODES = {
  /** The profile has no `sso_session` or `sso_start_url`: there is nothing to sign in to. */
  notSso: 'SSO_NOT_SSO_PROFILE',
  /** The profile or its `[sso-session]` section lacks what a sign-in needs (start URL, region). */
  incomplete: 'SSO_PROFILE_INCOMPLETE',
  /** The user (or an administrator's policy) denied the authorization request. */
  denied: 'SSO_AUTHORIZATION_DENIED',
  /** The code ran out before it was approved. */
  expired: 'SSO_AUTHORIZATION_EXPIRED',
  /** The token could not be written to the SSO cache directory. */
  cacheUnwritable: 'SSO_CACHE_UNWRITABLE',
} as const;

const ProfileNameSchema = z
  .string()
  .trim()
  .min(1, 'A profile name is required')
  .max(128)
  .regex(/^[\w.@+:/-]+$/, 'A profile name is letters, digits and _ - . @ + : /');

export const SsoProfileInputSchema = z.object({ profile: ProfileNameSchema.optional() }).strict().optional();

export interface SsoStatus {
  /** The profile asked about: the input's, else the app's setting, else AWS_PROFILE, else `default`. */
  profile: string;
  /** `sso-session`: the profile names an `[sso-session]` section; `legacy`: `sso_start_url` in the profile; null: not SSO. */
  kind: 'sso-session' | 'legacy' | null;
  sessionName: string | null;
  startUrl: string | null;
  ssoRegion: string | null;
  /** null when the profile is not an SSO profile. */
  token: 'valid' | 'expired' | 'missing' | null;
  /** When the cached token expires (ISO), when there is one. */
  expiresAt: string | null;
  /** The token cache file the AWS CLI and the SDK share (`~/.aws/sso/cache/<sha1>.json`). */
  cacheFile: string | null;
  /** What keeps the profile from signing in (an incomplete `[sso-session]`), else null. */
  problem: string | null;
}

export type SsoSignInPhase = 'registering' | 'authorizing' | 'waiting' | 'writing';

export interface SsoSignInChunk {
  phase: SsoSignInPhase;
  /** The page to approve the sign-in on, with the code filled in (verificationUriComplete); from `authorizing` on. */
  verificationUri: string | null;
  /** The code the page shows, for the user to check. */
  userCode: string | null;
  /** When the code stops being accepted (ISO). */
  expiresAt: string | null;
}

export interface SsoSignInResult {
  signedIn: boolean;
  /** True when the sign-in was cancelled before the token was written (nothing was written then). */
  cancelled: boolean;
  profile: string;
  /** When the new token expires (ISO). */
  expiresAt: string | null;
  cacheFile: string | null;
}

export const ssoMethods = {
  ssoStatus: method<SsoStatus>()(SsoProfileInputSchema),
};

export const ssoStreams = {
  ssoSignIn: stream<SsoSignInChunk, SsoSignInResult>()(SsoProfileInputSchema),
};
