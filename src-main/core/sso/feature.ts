import { SSO_ERROR_CODES, type SsoSignInResult, type SsoStatus } from '../../../src-shared/contract';
import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { SSO_OIDC } from '../aws/services';
import { deviceSignIn } from './device-sign-in';
import { SsoSignInError } from './sso-errors';
import { profileInForce, readSsoProfile } from './sso-profile';
import { cachedTokenExpiry, tokenCacheFile } from './token-cache';

/**
 * Sign in with IAM Identity Center from the app. `ssoStatus` says whether the profile in force is an SSO profile
 * and whether its cached token is valid; `ssoSignIn` runs the device authorization and writes the token where the
 * AWS CLI and the SDK look for it, then rebuilds the aws feature, so the next call's credential chain (a new pool)
 * reads the new token; every feature that depends on aws is rebuilt with it, this one included.
 */

export async function ssoStatusOf(profile: string, now = Date.now()): Promise<SsoStatus> {
  const reading = await readSsoProfile(profile);
  const none = { profile, kind: null, sessionName: null, startUrl: null, ssoRegion: null, token: null, expiresAt: null, cacheFile: null, problem: null };
  if (reading.state === 'not-sso') return none;
  if (reading.state === 'incomplete') return { ...none, kind: reading.kind, sessionName: reading.sessionName, problem: reading.problem };
  const sso = reading.profile;
  const expiry = await cachedTokenExpiry(sso.cacheKey);
  return {
    profile,
    kind: sso.kind,
    sessionName: sso.sessionName,
    startUrl: sso.startUrl,
    ssoRegion: sso.region,
    token: expiry === null ? 'missing' : expiry.getTime() > now ? 'valid' : 'expired',
    expiresAt: expiry?.toISOString() ?? null,
    cacheFile: tokenCacheFile(sso.cacheKey),
    problem: null,
  };
}

export const ssoFeature = defineFeature({
  name: 'sso',
  dependsOn: { aws: awsFeature },
  create: ({ options, settings, rebuild, log }, { aws }) => {
    const profileOf = (input: { profile?: string } | undefined) => profileInForce(input?.profile ?? settings().awsProfile);
    // A new profile (the aws feature rebuilt) ends the sign-ins started for the old one.
    const running = new Set<AbortController>();
    return {
      exports: null,
      methods: {
        ssoStatus: async (input) => ssoStatusOf(profileOf(input)),
      },
      streams: {
        ssoSignIn: async (input, { signal, emit }): Promise<SsoSignInResult> => {
          const profile = profileOf(input);
          const reading = await readSsoProfile(profile);
          if (reading.state === 'not-sso') {
            throw new SsoSignInError(
              `Profile "${profile}" is not an IAM Identity Center (SSO) profile: it has neither sso_session nor sso_start_url. Run \`aws configure sso --profile ${profile}\` to set it up, or choose another profile.`,
              SSO_ERROR_CODES.notSso,
            );
          }
          if (reading.state === 'incomplete') throw new SsoSignInError(`${reading.problem} Add it to the config file (or run \`aws configure sso --profile ${profile}\`) and sign in again.`, SSO_ERROR_CODES.incomplete);
          const own = new AbortController();
          running.add(own);
          const stop = AbortSignal.any([signal, own.signal]);
          const cancelled: SsoSignInResult = { signedIn: false, cancelled: true, profile, expiresAt: null, cacheFile: null };
          let signedIn;
          try {
            signedIn = await deviceSignIn({
              client: await aws.client(SSO_OIDC, reading.profile.region),
              profile: reading.profile,
              signal: stop,
              emit,
              redact: (text) => aws.redact(text),
              ...(options.ssoPollClock ? { clock: options.ssoPollClock } : {}),
            });
          } catch (error) {
            if (stop.aborted) return cancelled;
            throw error;
          } finally {
            running.delete(own);
          }
          log(`Signed in to IAM Identity Center for profile ${profile}; the token is valid until ${signedIn.expiresAt}.`);
          // Last: this replaces the pool (and this feature's instance) so the credential chain starts afresh.
          rebuild(awsFeature);
          return { signedIn: true, cancelled: false, profile, expiresAt: signedIn.expiresAt, cacheFile: signedIn.cacheFile };
        },
      },
      dispose: () => {
        for (const controller of running) controller.abort();
      },
    };
  },
});
