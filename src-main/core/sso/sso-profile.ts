import { getProfileName, parseKnownFiles } from '@smithy/core/config';

/**
 * An AWS profile's IAM Identity Center settings, read from the shared config files with the SDK's own loader (the
 * same files, `AWS_CONFIG_FILE` included, and the same parsing the credential chain uses). Two shapes exist:
 * - `sso_session = NAME` with an `[sso-session NAME]` section holding `sso_start_url` and `sso_region` (the token
 *   cache is keyed by the session name, and the token can be refreshed);
 * - legacy: `sso_start_url` and `sso_region` in the profile itself (the cache is keyed by the start URL).
 */

export interface SsoProfile {
  profile: string;
  kind: 'sso-session' | 'legacy';
  sessionName: string | null;
  startUrl: string;
  region: string;
  /** What the token cache file is named after: the session name, or the start URL of a legacy profile. */
  cacheKey: string;
  /** Scopes the client registers for: a session's `sso_registration_scopes`, `sso:account:access` by default. */
  scopes: string[];
}

/** The profile the app means: the one asked for, else the app's setting, else AWS_PROFILE, else `default`. */
export function profileInForce(asked: string | null | undefined): string {
  return getProfileName({ profile: asked ?? undefined });
}

export type SsoProfileReading =
  | { state: 'sso'; profile: SsoProfile }
  | { state: 'not-sso'; profile: string }
  | { state: 'incomplete'; profile: string; kind: 'sso-session' | 'legacy'; sessionName: string | null; problem: string };

/** Reads the profile fresh from the files (the SDK caches each file it read; a sign-in must see an edited config). */
export async function readSsoProfile(profile: string): Promise<SsoProfileReading> {
  const sections = await parseKnownFiles({ ignoreCache: true });
  const section = sections[profile];
  if (!section) return { state: 'not-sso', profile };
  const sessionName = section.sso_session;
  if (sessionName) {
    const session = sections[`sso-session.${sessionName}`];
    const missing = !session ? null : (['sso_start_url', 'sso_region'] as const).filter((key) => !session[key]);
    if (!session || missing === null) {
      return { state: 'incomplete', profile, kind: 'sso-session', sessionName, problem: `Profile "${profile}" names sso_session "${sessionName}", but the config file has no [sso-session ${sessionName}] section.` };
    }
    if (missing.length > 0) {
      return { state: 'incomplete', profile, kind: 'sso-session', sessionName, problem: `[sso-session ${sessionName}] lacks ${missing.join(' and ')}.` };
    }
    const scopes = (session.sso_registration_scopes ?? 'sso:account:access').split(',').map((scope) => scope.trim()).filter(Boolean);
    return {
      state: 'sso',
      profile: { profile, kind: 'sso-session', sessionName, startUrl: session.sso_start_url!, region: session.sso_region!, cacheKey: sessionName, scopes },
    };
  }
  if (section.sso_start_url) {
    if (!section.sso_region) return { state: 'incomplete', profile, kind: 'legacy', sessionName: null, problem: `Profile "${profile}" has sso_start_url but no sso_region.` };
    // The AWS CLI registers legacy profiles without scopes (and gets no refresh token).
    return { state: 'sso', profile: { profile, kind: 'legacy', sessionName: null, startUrl: section.sso_start_url, region: section.sso_region, cacheKey: section.sso_start_url, scopes: [] } };
  }
  return { state: 'not-sso', profile };
}
