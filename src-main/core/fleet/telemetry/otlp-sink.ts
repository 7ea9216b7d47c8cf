import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { SampleRow } from '../../latency/history-store';
import type { FleetCycle, FleetSink, FleetSinkStatus } from '../cycle';
import { ExportLedger } from './export-ledger';
import { describeOtlpConfig, readOtlpConfig, safeEndpoint } from './otlp-config';
import { RequestMetrics, standardRuntimeEndpoint, type RuntimeEndpointOf } from './request-metrics';
import { SEMCONV_SCHEMA_URL } from './semconv';

/**
 * The OTLP sink: every measured request becomes GenAI metrics (semconv.ts), exported over OTLP/HTTP (JSON) in the
 * background. Recording is a synchronous histogram record in memory; a PeriodicExportingMetricReader exports on
 * its own interval, each export bounded by the export timeout. An endpoint that is down or hangs never blocks or
 * slows measuring: its failures are counted in `status()` and said once in the log (and once when it is back),
 * never thrown. `flush` and `close` are bounded by the export timeout (and `flush` by its signal too).
 */

export interface OtlpSinkOptions {
  /** Where the requests were sent from: `bedrock_atlas.vantage` on every data point. */
  vantage: string;
  /** The OTEL_* variables (otlp-config.ts); the process's environment when not given. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Wins over OTEL_METRIC_EXPORT_INTERVAL. */
  exportIntervalMs?: number;
  /** One line when export starts, fails, and works again: endpoint and header names, never a header value. */
  log?: (line: string) => void;
  /** The endpoint each region's requests were sent to (an endpoint override); Bedrock's own by default. */
  runtimeEndpoint?: RuntimeEndpointOf;
  /** `service.version` in the resource. */
  serviceVersion?: string;
}

export interface OtlpSinkStatus extends FleetSinkStatus {
  /** Requests recorded; `written` of them reached the endpoint, `pending` not yet, `dropped` never will (delta only). */
  recorded: number;
  exportsSucceeded: number;
  exportsFailed: number;
  /** Scheme, host and path: no credentials, no query. */
  endpoint: string;
}

export interface OtlpSink extends FleetSink {
  /** Records measured requests outside a monitor cycle (the desktop app's runs), from the sink's vantage. */
  record(samples: readonly SampleRow[]): void;
  status(): OtlpSinkStatus;
  /** Exports what is left, once, then stops; resolves within the export timeout, or sooner once `signal` aborts. */
  close(signal?: AbortSignal): Promise<void>;
}

/** Resolves with the work, or when the bound passes first; never rejects (the work's failure is in the status). */
async function bounded(work: Promise<unknown>, bound: AbortSignal): Promise<void> {
  if (bound.aborted) return;
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => (onAbort = resolve));
  bound.addEventListener('abort', onAbort, { once: true });
  const ignore = () => undefined;
  try {
    await Promise.race([work.then(ignore, ignore), aborted]);
  } finally {
    bound.removeEventListener('abort', onAbort);
  }
}

/** Throws OtlpConfigError for an endpoint that is not an http(s) URL: nothing starts then. */
export function createOtlpSink(options: OtlpSinkOptions): OtlpSink {
  const log = options.log ?? (() => {});
  const config = readOtlpConfig(options.env ?? process.env, { exportIntervalMs: options.exportIntervalMs });
  for (const warning of config.warnings) log(`OpenTelemetry: ${warning}`);
  const endpoint = safeEndpoint(config.url);
  const secrets = Object.values(config.headers).filter((value) => value.length > 0);
  const redact = (text: string) => secrets.reduce((safe, secret) => safe.split(secret).join('***'), text);

  let failing = false;
  const ledger = new ExportLedger(
    new OTLPMetricExporter({ url: config.url, headers: config.headers, timeoutMillis: config.exportTimeoutMs, temporalityPreference: config.temporality }),
    config.temporality === AggregationTemporalityPreference.CUMULATIVE,
    (ok, error) => {
      if (!ok && !failing) log(`OpenTelemetry export to ${endpoint} failed (${error}); measuring goes on and the next exports try again.`);
      if (ok && failing) log(`OpenTelemetry export to ${endpoint} works again.`);
      failing = !ok;
    },
    redact,
  );
  const provider = new MeterProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        ...config.resourceAttributes,
        'service.name': config.serviceName,
        ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
      }),
    ),
    readers: [new PeriodicExportingMetricReader({ exporter: ledger, exportIntervalMillis: config.exportIntervalMs, exportTimeoutMillis: config.exportTimeoutMs })],
  });
  const metrics = new RequestMetrics(provider.getMeter('bedrock-atlas', options.serviceVersion, { schemaUrl: SEMCONV_SCHEMA_URL }), options.runtimeEndpoint ?? standardRuntimeEndpoint);
  log(describeOtlpConfig(config));

  /** The export timeout, or sooner once the caller's signal aborts. */
  const within = (signal: AbortSignal | undefined) => {
    const timeout = AbortSignal.timeout(config.exportTimeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  };
  let closed: Promise<void> | null = null;
  const record = (samples: readonly SampleRow[], vantage: string) => {
    if (closed) return;
    for (const row of samples) {
      try {
        metrics.record(row, vantage);
      } catch (error) {
        // A row the SDK refuses (it does not, for any value a SampleRow can hold) must not stop the others.
        log(`OpenTelemetry: a sample of run ${row.runId} was not recorded (${(error as Error).message}).`);
      }
    }
    ledger.countRecorded(samples.length);
  };

  return {
    name: 'otlp',
    record: (samples) => record(samples, options.vantage),
    write: (cycle: FleetCycle) => {
      record(cycle.samples, cycle.vantage);
      return Promise.resolve();
    },
    flush: (signal) => (closed ? Promise.resolve() : bounded(provider.forceFlush({ timeoutMillis: config.exportTimeoutMs }), within(signal))),
    status: () => {
      const counts = ledger.snapshot();
      return {
        name: 'otlp',
        written: counts.delivered,
        pending: counts.recorded - counts.delivered - counts.lost,
        dropped: counts.lost,
        lastError: counts.lastError,
        recorded: counts.recorded,
        exportsSucceeded: counts.exportsSucceeded,
        exportsFailed: counts.exportsFailed,
        endpoint,
      };
    },
    // An endpoint that hangs is left behind: the export gives up on it at its own timeout, in the background.
    close: (signal) => {
      closed ??= provider.shutdown({ timeoutMillis: config.exportTimeoutMs });
      return bounded(closed, within(signal));
    },
  };
}
