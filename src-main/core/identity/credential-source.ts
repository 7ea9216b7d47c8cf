import type { CredentialSource } from '../../../src-shared/contract/identity';
import type { ResolvedCredentials } from '../aws/credentials';

/**
 * Where the credential chain found the credentials, decided from the SDK's own record: every provider of the
 * default chain marks what it returns with a credential feature (`$source`), the same record the SDK reports in
 * its user agent. That is exact where a look at the environment or the config file would guess (an SSO profile
 * that also has static keys, a `source_profile` chain, AWS_PROFILE naming a profile the variables override).
 * The container and instance metadata providers of the chain leave no mark: a credential set without one comes
 * from them (the chain's last step), a container's when the container provider's variables are set.
 */
const MARKS: readonly [CredentialSource, readonly string[]][] = [
  ['sso', ['CREDENTIALS_SSO', 'CREDENTIALS_SSO_LEGACY', 'CREDENTIALS_PROFILE_SSO', 'CREDENTIALS_PROFILE_SSO_LEGACY']],
  ['credential-process', ['CREDENTIALS_PROCESS', 'CREDENTIALS_PROFILE_PROCESS']],
  ['web-identity', ['CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN', 'CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN', 'CREDENTIALS_STS_ASSUME_ROLE_WEB_ID']],
  ['assume-role', ['CREDENTIALS_PROFILE_SOURCE_PROFILE', 'CREDENTIALS_STS_ASSUME_ROLE']],
  ['console-login', ['CREDENTIALS_LOGIN', 'CREDENTIALS_PROFILE_LOGIN']],
  ['environment', ['CREDENTIALS_ENV_VARS']],
  ['profile', ['CREDENTIALS_PROFILE']],
  ['container-role', ['CREDENTIALS_HTTP']],
  ['instance-role', ['CREDENTIALS_IMDS']],
];

/** Sources read from a named profile of the shared config files. */
const FROM_PROFILE: ReadonlySet<CredentialSource> = new Set(['profile', 'sso', 'credential-process', 'assume-role', 'console-login']);

export function credentialSourceOf(credentials: ResolvedCredentials, env: NodeJS.ProcessEnv = process.env): CredentialSource {
  if (credentials.placeholder) return 'placeholder';
  if (credentials.given) return 'given';
  for (const [source, features] of MARKS) if (features.some((feature) => credentials.features.includes(feature))) return source;
  return env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ? 'container-role' : 'instance-role';
}

/** The profile the credentials came from: the app's own setting, else AWS_PROFILE, else `default`; null for others. */
export function profileOf(source: CredentialSource, appProfile: string | null, env: NodeJS.ProcessEnv = process.env): string | null {
  if (!FROM_PROFILE.has(source) && !(source === 'web-identity' && appProfile)) return null;
  return appProfile ?? env.AWS_PROFILE ?? 'default';
}
