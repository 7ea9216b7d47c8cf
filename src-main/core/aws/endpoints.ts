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
