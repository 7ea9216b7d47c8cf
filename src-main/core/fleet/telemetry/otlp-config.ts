import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { DEFAULT_SERVICE_NAME, SEMCONV_VERSION } from './semconv';

/**
 * The OTLP export's settings, read from the standard OpenTelemetry environment variables with the rules the
 * specification and the JS SDK give them, from an environment passed in (the process's, or a test's):
 * - OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is used as it is; otherwise OTEL_EXPORTER_OTLP_ENDPOINT gains `v1/metrics`;
 *   otherwise http://localhost:4318/v1/metrics (a local collector).
 * - OTEL_EXPORTER_OTLP_HEADERS, then OTEL_EXPORTER_OTLP_METRICS_HEADERS over it: `key=value,…`, percent-decoded.
 * - OTEL_RESOURCE_ATTRIBUTES (`key=value,…`, percent-decoded; a malformed list is discarded whole, as the SDK
 *   does) and OTEL_SERVICE_NAME, which wins over `service.name` there; `bedrock-atlas` when neither names one.
 * - OTEL_METRIC_EXPORT_INTERVAL and OTEL_METRIC_EXPORT_TIMEOUT (ms), and
 *   OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE (cumulative, delta, lowmemory).
 * What is not read here (certificates, compression) the exporter still reads from the process's environment.
 *
 * Header values carry API keys: they leave this module only as request headers. `describeOtlpConfig` names the
 * headers, never their values, and the endpoint without credentials or query.
 */

export interface OtlpConfig {
  url: string;
  headers: Record<string, string>;
  resourceAttributes: Record<string, string>;
  serviceName: string;
  exportIntervalMs: number;
  exportTimeoutMs: number;
  temporality: AggregationTemporalityPreference;
  /** Settings that were ignored (and why), for the log: never a header value. */
  warnings: string[];
}

/** An endpoint that is not a URL: the export cannot start, and the message says which variable to fix. */
export class OtlpConfigError extends Error {
  override readonly name = 'OtlpConfigError';
  readonly code = 'OTLP_CONFIG';
}

/** The OpenTelemetry default is 60 s; a monitor's cycles are minutes apart, so that is often enough. */
export const DEFAULT_EXPORT_INTERVAL_MS = 60_000;
/** Shorter than the SDK's 30 s: an endpoint that is away costs at most this per export, and a shutdown waits no longer. */
export const DEFAULT_EXPORT_TIMEOUT_MS = 5_000;

const TEMPORALITIES: Record<string, AggregationTemporalityPreference> = {
  cumulative: AggregationTemporalityPreference.CUMULATIVE,
  delta: AggregationTemporalityPreference.DELTA,
  lowmemory: AggregationTemporalityPreference.LOWMEMORY,
};

type Environment = Readonly<Record<string, string | undefined>>;

const text = (env: Environment, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

function endpointUrl(env: Environment): string {
  const specific = text(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  const general = text(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const [name, raw] = specific ? ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', specific] : general ? ['OTEL_EXPORTER_OTLP_ENDPOINT', general] : [null, null];
  if (name === null || raw === null) return 'http://localhost:4318/v1/metrics';
  let url: URL;
  try {
    url = new URL(specific ? raw : `${raw.endsWith('/') ? raw : `${raw}/`}v1/metrics`);
  } catch {
    // The value is not quoted: an endpoint may carry a token in its query.
    throw new OtlpConfigError(`${name} is not a URL (for example http://collector:4318).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OtlpConfigError(`${name} must be an http:// or https:// URL (the OTLP/HTTP exporter).`);
  }
  return url.href;
}

/** `key=value` pairs separated by commas, each side percent-decoded and trimmed, and the keys of the malformed ones. */
function keyValueList(raw: string | undefined): { pairs: Record<string, string>; malformed: string[] } {
  const pairs: Record<string, string> = {};
  const malformed: string[] = [];
  for (const entry of (raw ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const rawKey = equals > 0 ? entry.slice(0, equals).trim() : '';
    try {
      const key = decodeURIComponent(rawKey);
      const value = decodeURIComponent(entry.slice(equals + 1).trim());
      if (key === '' || value === '') throw new URIError('empty');
      pairs[key] = value;
    } catch {
      // Only the key is named: the value may be a secret.
      malformed.push(rawKey === '' ? '(no key)' : rawKey);
    }
  }
  return { pairs, malformed };
}

function milliseconds(env: Environment, name: string, fallback: number, warnings: string[]): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (Number.isFinite(value) && value > 0) return value;
  warnings.push(`${name} is not a positive number of milliseconds; using ${fallback}.`);
  return fallback;
}

export function readOtlpConfig(env: Environment, options: { exportIntervalMs?: number } = {}): OtlpConfig {
  const warnings: string[] = [];
  const url = endpointUrl(env);

  const general = keyValueList(env.OTEL_EXPORTER_OTLP_HEADERS);
  const specific = keyValueList(env.OTEL_EXPORTER_OTLP_METRICS_HEADERS);
  for (const key of [...general.malformed, ...specific.malformed]) warnings.push(`An OTLP header (${key}) is not key=value with percent-encoding; it is not sent.`);

  const resource = keyValueList(env.OTEL_RESOURCE_ATTRIBUTES);
  if (resource.malformed.length > 0) warnings.push(`OTEL_RESOURCE_ATTRIBUTES is malformed (at ${resource.malformed.join(', ')}); none of it is used.`);
  const resourceAttributes = resource.malformed.length > 0 ? {} : resource.pairs;
  const serviceName = text(env, 'OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? DEFAULT_SERVICE_NAME;

  const exportIntervalMs = options.exportIntervalMs ?? milliseconds(env, 'OTEL_METRIC_EXPORT_INTERVAL', DEFAULT_EXPORT_INTERVAL_MS, warnings);
  // The reader refuses a timeout longer than its interval.
  const exportTimeoutMs = Math.min(milliseconds(env, 'OTEL_METRIC_EXPORT_TIMEOUT', DEFAULT_EXPORT_TIMEOUT_MS, warnings), exportIntervalMs);

  const preference = text(env, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE')?.toLowerCase();
  const temporality = preference === undefined ? AggregationTemporalityPreference.CUMULATIVE : TEMPORALITIES[preference];
  if (temporality === undefined) warnings.push('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE is not cumulative, delta or lowmemory; using cumulative.');

  return {
    url,
    headers: { ...general.pairs, ...specific.pairs },
    resourceAttributes,
    serviceName,
    exportIntervalMs,
    exportTimeoutMs,
    temporality: temporality ?? AggregationTemporalityPreference.CUMULATIVE,
    warnings,
  };
}

/** The endpoint as it may be logged: scheme, host and path, without user, password or query. */
export function safeEndpoint(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** One line for a log or `--check`: where metrics go, as which service, with which headers (names only). */
export function describeOtlpConfig(config: OtlpConfig): string {
  const headers = Object.keys(config.headers);
  return `OpenTelemetry metrics (GenAI semantic conventions ${SEMCONV_VERSION}) to ${safeEndpoint(config.url)} as service ${config.serviceName}, every ${config.exportIntervalMs / 1000} s${
    headers.length > 0 ? `, with header${headers.length === 1 ? '' : 's'} ${headers.join(', ')}` : ''
  }`;
}
