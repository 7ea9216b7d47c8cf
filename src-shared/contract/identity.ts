import { z } from 'zod';
import { method, NoInput } from './define';

/**
 * Who the app calls AWS as: the account and ARN STS answers for the credentials in force, where the credential
 * chain found them, and the Bedrock API key Bedrock calls use instead, if any. The key itself never crosses this
 * contract: only its kind, region and expiry.
 */

/**
 * Where the AWS credentials came from, as the SDK's credential providers mark them: environment keys, a profile's
 * static keys, IAM Identity Center, `credential_process`, a role assumed by a profile, web identity, `aws login`,
 * a container or instance role; `bedrock-api-key` when only an API key is set; `given` for credentials handed to
 * the app directly (tests); `placeholder` when nothing was found and a loopback endpoint gets placeholder keys.
 */
export const CREDENTIAL_SOURCES = [
  'environment',
  'profile',
  'sso',
  'credential-process',
  'assume-role',
  'web-identity',
  'console-login',
  'container-role',
  'instance-role',
  'bedrock-api-key',
  'given',
  'placeholder',
] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

export type ApiKeyKind = 'short-term' | 'long-term';

export { API_KEY_REGION_CODE, isKeyBoundRegion, keyBoundCause } from '../api-key-regions';

/** The API key as `whoami` shows it: short-term keys are bound to a region and expire; long-term keys are neither. */
export interface ApiKeySummary {
  kind: ApiKeyKind;
  region: string | null;
  /** Short-term keys only (ISO time). */
  expiresAt?: string;
}

export interface WhoAmI {
  /** null when only an API key is set: STS needs AWS credentials. */
  account: string | null;
  arn: string | null;
  credentialSource: CredentialSource;
  /** The AWS profile the credentials came from (the app's setting, AWS_PROFILE, or `default`), null for others. */
  profile: string | null;
  apiKey: ApiKeySummary | null;
  /** What could not be answered and why, e.g. "needs AWS credentials (an API key covers Bedrock calls only)". */
  note: string | null;
}

/** The key in force, described without the key. */
export interface ApiKeyStatus {
  /** null when the key is malformed (`problem` says why). */
  kind: ApiKeyKind | null;
  region: string | null;
  expiresAt: string | null;
  expired: boolean;
  /** AWS_BEARER_TOKEN_BEDROCK, or the desktop app's encrypted store. */
  source: 'environment' | 'vault';
  problem: string | null;
}

export interface ApiKeyState {
  key: ApiKeyStatus | null;
  /** True in the desktop app, which keeps a pasted key with the OS keychain (safeStorage). */
  canStore: boolean;
  /** Why a key cannot be stored here (the browser host), or that the environment variable wins over a stored key. */
  note: string | null;
}

export const SetApiKeyInputSchema = z
  .object({
    key: z.string().trim().min(1, 'Paste the API key').max(8192, 'An API key is at most 8192 characters'),
  })
  .strict();

export const identityMethods = {
  whoAmI: method<WhoAmI>()(NoInput),
  apiKeyStatus: method<ApiKeyState>()(NoInput),
  setApiKey: method<ApiKeyState>()(SetApiKeyInputSchema),
  clearApiKey: method<ApiKeyState>()(NoInput),
};
