import { CONFIG_PREFIX_SEPARATOR, loadConfig } from '@smithy/core/config';

/**
 * Where a client's calls go, resolved the way the SDK resolves it at request time, in one place for everything
 * that opens its own connections beside the SDK (the runtime warm-up, the network probe): an endpoint given to the
 * client, else one configured for the service (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the config file's
 * `endpoint_url` or `services` section), else the service's rules for the region.
 */

interface EndpointV1 {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
}

interface ResolvableConfig {
  isCustomEndpoint?: boolean;
  endpoint?: () => Promise<EndpointV1>;
  serviceConfiguredEndpoint?: () => Promise<string | undefined>;
  ignoreConfiguredEndpointUrls?: boolean;
  endpointProvider: (params: { Region: string; UseFIPS: boolean; UseDualStack: boolean }) => { url: URL };
}

export async function resolvedEndpoint(client: { config: unknown }, region: string): Promise<URL> {
  const config = client.config as ResolvableConfig;
  if (config.isCustomEndpoint && config.endpoint) {
    const endpoint = await config.endpoint();
    const port = endpoint.port ? `:${endpoint.port}` : '';
    return new URL(`${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path}`);
  }
  if (!config.ignoreConfiguredEndpointUrls && config.serviceConfiguredEndpoint) {
    const configured = await config.serviceConfiguredEndpoint();
    if (configured) return new URL(configured);
  }
  return config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false }).url;
}

/**
 * The endpoint configured for a service, read for a given profile. The SDK reads `AWS_ENDPOINT_URL_<SERVICE>`,
 * `AWS_ENDPOINT_URL` and the config file's `endpoint_url` / `services` sections itself, but only for the profile in
 * `AWS_PROFILE`, not for a client's `profile` option; the app's `--profile` must see its own profile's sections, so
 * the pool gives clients this resolver, with the SDK's own selectors and precedence.
 */
export function configuredEndpointOf(serviceId: string, profile: string): () => Promise<string | undefined> {
  const envName = ['AWS_ENDPOINT_URL', ...serviceId.split(' ').map((word) => word.toUpperCase())].join('_');
  const configKey = serviceId.split(' ').map((word) => word.toLowerCase()).join('_');
  const ignored = loadConfig<boolean>(
    {
      environmentVariableSelector: (env) => (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === undefined ? undefined : env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true'),
      configFileSelector: (section) => (section.ignore_configured_endpoint_urls === undefined ? undefined : section.ignore_configured_endpoint_urls === 'true'),
      default: false,
    },
    { profile },
  );
  const configured = loadConfig<string | undefined>(
    {
      environmentVariableSelector: (env) => env[envName] ?? env.AWS_ENDPOINT_URL,
      configFileSelector: (section, config) => {
        const services = section.services ? config?.[['services', section.services].join(CONFIG_PREFIX_SEPARATOR)] : undefined;
        return services?.[[configKey, 'endpoint_url'].join(CONFIG_PREFIX_SEPARATOR)] ?? section.endpoint_url;
      },
      default: undefined,
    },
    { profile },
  );
  return async () => ((await ignored()) ? undefined : configured());
}
