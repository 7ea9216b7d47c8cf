import type { ApiKeyState, ApiKeyStatus, ApiKeySummary, WhoAmI } from '../../../src-shared/contract/identity';
import { NoVaultError, type ActiveApiKey } from '../aws/bedrock-api-key';
import type { AwsClientPool } from '../aws/client-pool';
import { CredentialsError } from '../aws/credential-errors';
import { AwsCallError, explainAwsError } from '../aws/errors';
import { STS } from '../aws/services';
import { credentialSourceOf, profileOf } from './credential-source';

/** What a feature that needs AWS credentials says when only a Bedrock API key is set. */
export const API_KEY_ONLY = 'needs AWS credentials (an API key covers Bedrock calls only)';

/** Thrown by features that call AWS APIs other than Bedrock (STS, IAM, quotas) when only an API key is set. */
export class ApiKeyOnlyError extends CredentialsError {
  constructor(what: string) {
    super(`${what} ${API_KEY_ONLY}: set AWS credentials (a profile, SSO or environment keys) beside the key.`, 'ApiKeyOnly');
  }
}

interface CallerIdentity {
  account: string;
  arn: string;
}

/**
 * Who the app calls AWS as. STS GetCallerIdentity is asked once per credential set: the answer is kept for the
 * access key id it was given for, so a refreshed set (new temporary keys, a renewed SSO role session) is asked
 * again and a failing one names its failure; a new profile rebuilds the aws feature, and this one with it.
 */
export class IdentityService {
  private readonly answers = new Map<string, Promise<CallerIdentity>>();

  constructor(
    private readonly clients: AwsClientPool,
    private readonly stsRegion: () => string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async whoAmI(signal?: AbortSignal): Promise<WhoAmI> {
    const key = await this.activeKey();
    if (key?.problem) throw this.explain(key.problem);
    const apiKey = key ? summary(key) : null;
    const region = this.stsRegion();
    let credentials;
    try {
      credentials = await this.clients.resolveCredentials();
    } catch (error) {
      if (apiKey) return this.apiKeyOnly(apiKey);
      throw this.explain(error, region);
    }
    if (credentials.placeholder && apiKey) return this.apiKeyOnly(apiKey);
    const credentialSource = credentialSourceOf(credentials, this.env);
    const { account, arn } = await this.callerIdentity(credentials.accessKeyId, region, signal);
    return { account, arn, credentialSource, profile: profileOf(credentialSource, this.clients.profile, this.env), apiKey, note: null };
  }

  /**
   * Fails with "needs AWS credentials" when only an API key is set (for features that call AWS APIs besides
   * Bedrock); with no key, the chain's own named failure.
   */
  async requireAwsCredentials(what: string): Promise<void> {
    const key = await this.activeKey();
    try {
      const credentials = await this.clients.resolveCredentials();
      if (credentials.placeholder && key) throw new ApiKeyOnlyError(what);
    } catch (error) {
      if (key && !(error instanceof ApiKeyOnlyError)) throw this.explain(new ApiKeyOnlyError(what));
      throw this.explain(error);
    }
  }

  async apiKeyState(): Promise<ApiKeyState> {
    const keys = this.clients.apiKeys;
    const key = await this.activeKey();
    const canStore = Boolean(keys?.vault);
    const note = !canStore
      ? new NoVaultError().message
      : key?.source === 'environment'
        ? 'AWS_BEARER_TOKEN_BEDROCK is set: it is used instead of a stored key while it is set.'
        : null;
    return { key: key ? status(key) : null, canStore, note };
  }

  async setApiKey(secret: string): Promise<ApiKeyState> {
    const keys = this.clients.apiKeys;
    if (!keys) throw new NoVaultError();
    try {
      await keys.set(secret);
    } catch (error) {
      throw error instanceof CredentialsError ? this.explain(error) : error;
    }
    return this.apiKeyState();
  }

  async clearApiKey(): Promise<ApiKeyState> {
    const keys = this.clients.apiKeys;
    if (!keys) throw new NoVaultError();
    await keys.clear();
    return this.apiKeyState();
  }

  private async activeKey(): Promise<ActiveApiKey | null> {
    const keys = this.clients.apiKeys;
    if (!keys) return null;
    await keys.ready();
    return keys.current();
  }

  private apiKeyOnly(apiKey: ApiKeySummary): WhoAmI {
    return { account: null, arn: null, credentialSource: 'bedrock-api-key', profile: null, apiKey, note: `Who you are ${API_KEY_ONLY}.` };
  }

  private callerIdentity(accessKeyId: string, region: string, signal?: AbortSignal): Promise<CallerIdentity> {
    let answer = this.answers.get(accessKeyId);
    if (!answer) {
      answer = this.clients
        .client(STS, region)
        .then(async (sts) => sts.send(new (await import('@aws-sdk/client-sts')).GetCallerIdentityCommand({}), { abortSignal: signal }))
        .then((output) => ({ account: output.Account ?? '', arn: output.Arn ?? '' }));
      this.answers.set(accessKeyId, answer);
      // A failure is not an answer: the next call asks again.
      answer.catch(() => this.answers.delete(accessKeyId));
    }
    return answer.catch((error: unknown) => {
      throw this.explain(error, region);
    });
  }

  private explain(error: unknown, region = this.stsRegion()): AwsCallError {
    const explained = explainAwsError(error, { service: 'STS', region, profile: this.clients.profile, redact: (text) => this.clients.redact(text) });
    if (explained.errorClass !== 'network') return explained;
    // The generic wording speaks of a dropped connection mid-call; here nothing was reached at all.
    const fix = 'check the network, proxy or endpoint and retry';
    return new AwsCallError(explained.failure, `STS in ${region} could not be reached to ask who you are (${explained.name}): ${fix}.`, fix);
  }
}

function summary(key: ActiveApiKey): ApiKeySummary | null {
  const parsed = key.parsed;
  if (!parsed) return null;
  return parsed.kind === 'short-term' ? { kind: parsed.kind, region: parsed.region, expiresAt: parsed.expiresAt.toISOString() } : { kind: parsed.kind, region: null };
}

function status(key: ActiveApiKey, now = new Date()): ApiKeyStatus {
  const parsed = key.parsed;
  const expiresAt = parsed?.kind === 'short-term' ? parsed.expiresAt : null;
  return {
    kind: parsed?.kind ?? null,
    region: parsed?.region ?? null,
    expiresAt: expiresAt?.toISOString() ?? null,
    expired: expiresAt !== null && expiresAt.getTime() <= now.getTime(),
    source: key.source,
    problem: key.problem?.message ?? null,
  };
}
