import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { explainCredentialsError } from './credential-errors';

/**
 * The one credential provider every client of the pool shares, so the chain (env, profile, SSO, process, container
 * or instance role) is resolved once and refreshed once. It remembers the secrets it handed out, so that an error
 * text quoting them (a signature-mismatch answer, a proxy echoing the request) can be redacted before it leaves the
 * core.
 */

export interface CredentialOptions {
  /** AWS named profile; null for the default chain. */
  profile: string | null;
  /**
   * One endpoint for everything (`--endpoint-url`): the chain's own clients (the SSO portal, STS for role
   * assumption) go there too, so an SSO profile works against a proxy or the emulator.
   */
  endpointUrl?: string | null;
  /** Fixed credentials, e.g. for tests; overrides the chain. */
  fixed?: AwsCredentialIdentity;
  /** Fall back to placeholder credentials when the chain finds none (the emulator on a loopback endpoint). */
  allowPlaceholder: boolean;
  log?: (line: string) => void;
}

/**
 * Credentials as resolved, with what the SDK's providers said about where they came from: each provider of the
 * chain marks what it returns in `$source` (`CREDENTIALS_ENV_VARS`, `CREDENTIALS_PROFILE_SSO`, …; the SDK's own
 * record of credential features). `given`: fixed credentials passed to the app; `placeholder`: the chain found
 * nothing and the loopback placeholder stands in.
 */
export interface ResolvedCredentials {
  accessKeyId: string;
  expiration: Date | null;
  features: string[];
  given: boolean;
  placeholder: boolean;
}

export const PLACEHOLDER_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'AKIDBEDROCKATLAS', secretAccessKey: 'placeholder-for-loopback-endpoint' };

export class SharedCredentials {
  readonly provider: AwsCredentialIdentityProvider;
  private readonly handedOut = new Set<string>();
  private placeholderUsed = false;

  constructor(private readonly options: CredentialOptions) {
    this.provider = this.createProvider();
  }

  /** Every secret value handed to a client so far (key ids, secret keys, session tokens), longest first. */
  secrets(): string[] {
    return [...this.handedOut].sort((a, b) => b.length - a.length);
  }

  /** True when the chain found nothing and the loopback placeholder stands in. */
  get placeholder(): boolean {
    return this.placeholderUsed;
  }

  /** Resolves the credentials now (the chain refreshes an expiring set), and says what they are and where from. */
  async resolve(): Promise<ResolvedCredentials> {
    const identity = (await this.provider()) as AwsCredentialIdentity & { $source?: Record<string, string> };
    const placeholder = identity === PLACEHOLDER_CREDENTIALS;
    return {
      accessKeyId: identity.accessKeyId,
      expiration: identity.expiration ?? null,
      features: Object.keys(identity.$source ?? {}),
      given: !placeholder && this.options.fixed !== undefined,
      placeholder,
    };
  }

  private remember(identity: AwsCredentialIdentity): AwsCredentialIdentity {
    for (const value of [identity.accessKeyId, identity.secretAccessKey, identity.sessionToken]) {
      // Very short values would redact ordinary words; real key ids are 16+ characters.
      if (value && value.length >= 8) this.handedOut.add(value);
    }
    return identity;
  }

  private createProvider(): AwsCredentialIdentityProvider {
    const { fixed, profile, allowPlaceholder, log } = this.options;
    if (fixed) return async () => this.remember(fixed);
    // The chain is made on the first call, when its packages are loaded: what calls no AWS service never loads them.
    let chain: Promise<AwsCredentialIdentityProvider> | null = null;
    const makeChain = async (): Promise<AwsCredentialIdentityProvider> => {
      const [{ fromNodeProviderChain }, { NodeHttpHandler: Base }] = await Promise.all([import('@aws-sdk/credential-providers'), import('@smithy/node-http-handler')]);
      // The chain's own clients send secrets it never hands out: noted on their way out (see ssoSecretsNoted).
      const requestHandler = ssoSecretsNoted(Base, (value) => this.handedOut.add(value));
      const clientConfig = { clientConfig: { requestHandler, ...(this.options.endpointUrl ? { endpoint: this.options.endpointUrl } : {}) } };
      return fromNodeProviderChain({ ...(profile ? { profile } : {}), ...clientConfig });
    };
    return async (identityProperties) => {
      try {
        chain ??= makeChain();
        return this.remember(await (await chain)(identityProperties));
      } catch (error) {
        if (!allowPlaceholder) throw explainCredentialsError(error, profile);
        if (!this.placeholderUsed) log?.('No AWS credentials found; using placeholder credentials for the loopback endpoint.');
        this.placeholderUsed = true;
        return PLACEHOLDER_CREDENTIALS;
      }
    };
  }
}

/** The SSO portal's header for the IAM Identity Center access token (GetRoleCredentials). */
const SSO_TOKEN_HEADER = 'x-amz-sso_bearer_token';
/** What an SSO OIDC token refresh (CreateToken with a refresh token) sends in its JSON body. */
const SSO_BODY_SECRETS = ['refreshToken', 'clientSecret'] as const;

/**
 * The request handler of the credential chain's own clients. With an SSO profile, the chain reads the access token
 * from ~/.aws/sso/cache itself and sends it to the SSO portal (refreshing it first with the refresh token and client
 * secret when it has expired); the token is never handed to the app, so it would otherwise be known to redaction by
 * its shape only. Noting it as it leaves lets a portal error, a proxy or a later answer that echoes it be redacted
 * by value, like the keys this provider hands out. Nothing else about the request is changed.
 */
function ssoSecretsNoted(Base: typeof NodeHttpHandler, note: (value: string) => void): NodeHttpHandler {
  class SsoSecretsNoted extends Base {
    constructor(private readonly note: (value: string) => void) {
      super();
    }

    override handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
      const remember = (value: unknown) => {
        if (typeof value === 'string' && value.length >= 8) this.note(value);
      };
      for (const [name, value] of Object.entries(request.headers)) if (name.toLowerCase() === SSO_TOKEN_HEADER) remember(value);
      if (typeof request.body === 'string' && SSO_BODY_SECRETS.some((field) => request.body.includes(`"${field}"`))) {
        try {
          const body = JSON.parse(request.body) as Record<string, unknown>;
          for (const field of SSO_BODY_SECRETS) remember(body[field]);
        } catch {
          // Not JSON: nothing to note.
        }
      }
      return super.handle(request, options);
    }
  }
  return new SsoSecretsNoted(note);
}
