import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';

/**
 * The AWS services the app speaks, one entry each: how to make its SDK client from the pool's shared
 * configuration, and where a global service signs. A new service is one entry here and one module in the emulator.
 * Each SDK package is imported when its first client is made, not when the app starts: a command that calls no
 * AWS service (`where` from the cache, `--help`) never loads one.
 */

/** The configuration every client of the pool shares: region, credentials, retries, endpoint, connections. */
export interface SharedClientConfig {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  maxAttempts: number;
  retryStrategy: RetryStrategyV2;
  /** The profile whose config-file settings (`endpoint_url`, `services`) apply. */
  profile?: string;
  /** One endpoint for everything (`--endpoint-url`); absent, the SDK resolves each service's own. */
  endpoint?: string;
  requestHandler: NodeHttpHandler;
  /** Bedrock and Bedrock Runtime only: the API key (bearer token) and whether to prefer it over SigV4. */
  token?: () => Promise<{ token: string }>;
  authSchemePreference?: () => Promise<string[]>;
}

/** What the pool needs of any SDK v3 client. */
export interface PooledClient {
  /** The resolved configuration (the pool gives it the profile's configured-endpoint resolver). */
  config: object;
  destroy(): void;
}

export interface AwsService<Client extends PooledClient> {
  /** The SDK's service id, as `AWS_ENDPOINT_URL_<ID>` and the config file's `services` sections spell it. */
  id: string;
  create(config: SharedClientConfig): Promise<Client>;
  /**
   * Global services (IAM, the Price List API) answer at one endpoint and sign for one region whatever region the
   * caller works in; AWS documents it per service. Regional services sign for the region they are called in.
   */
  signingRegion?: string;
}

export const BEDROCK: AwsService<BedrockClient> = { id: 'Bedrock', create: async (config) => new (await import('@aws-sdk/client-bedrock')).BedrockClient(config) };
export const BEDROCK_RUNTIME: AwsService<BedrockRuntimeClient> = {
  id: 'Bedrock Runtime',
  create: async (config) => new (await import('@aws-sdk/client-bedrock-runtime')).BedrockRuntimeClient(config),
};
/** STS is regional (regional endpoints are the SDK's default since v3): identity is asked where the app works. */
export const STS: AwsService<STSClient> = { id: 'STS', create: async (config) => new (await import('@aws-sdk/client-sts')).STSClient(config) };
/** IAM is global: one endpoint (iam.amazonaws.com), signed for us-east-1 whatever region the app works in. */
export const IAM: AwsService<IAMClient> = { id: 'IAM', create: async (config) => new (await import('@aws-sdk/client-iam')).IAMClient(config), signingRegion: 'us-east-1' };
/**
 * IAM Identity Center's OIDC service (the sign-in's device authorization), in the session's `sso_region`. Its calls
 * are unsigned (the SDK sends them without credentials), so the pool's credential chain is never asked for them.
 */
export const SSO_OIDC: AwsService<SSOOIDCClient> = { id: 'SSO OIDC', create: async (config) => new (await import('@aws-sdk/client-sso-oidc')).SSOOIDCClient(config) };
/** Service Quotas is regional: each region's Bedrock quotas are asked in that region. */
export const SERVICE_QUOTAS: AwsService<ServiceQuotasClient> = {
  id: 'Service Quotas',
  create: async (config) => new (await import('@aws-sdk/client-service-quotas')).ServiceQuotasClient(config),
};
/** CloudWatch is regional: a route's metrics live in the region it is called from (its source region). */
export const CLOUDWATCH: AwsService<CloudWatchClient> = { id: 'CloudWatch', create: async (config) => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(config) };
/**
 * The Price List API answers only in a few regions (us-east-1, eu-central-1, ap-south-1) and its prices cover every
 * region, so it is always asked in us-east-1, whatever region the app works in.
 */
export const PRICING: AwsService<PricingClient> = {
  id: 'Pricing',
  create: async (config) => new (await import('@aws-sdk/client-pricing')).PricingClient(config),
  signingRegion: 'us-east-1',
};
/** CloudTrail is regional: a cross-region call is logged in its source region. */
export const CLOUDTRAIL: AwsService<CloudTrailClient> = { id: 'CloudTrail', create: async (config) => new (await import('@aws-sdk/client-cloudtrail')).CloudTrailClient(config) };
/**
 * S3 is regional (the fleet store's bucket). With an endpoint override (`--endpoint-url`, `AWS_ENDPOINT_URL_S3`) the
 * bucket goes in the path, as S3-compatible servers and the emulator expect; against AWS the SDK's own
 * virtual-hosted addressing stands.
 */
export const S3: AwsService<S3Client> = {
  id: 'S3',
  create: async (config) => {
    const overridden = Boolean(config.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
    return new (await import('@aws-sdk/client-s3')).S3Client({ ...config, ...(overridden ? { forcePathStyle: true } : {}) });
  },
};
