import { hostname } from 'node:os';
import { awsFeature } from '../../app/aws-feature';
import { defineFeature } from '../../app/feature';
import { latencyFeature } from '../../latency/feature';
import type { SampleRow } from '../../latency/history-store';
import type { OtlpSink } from './otlp-sink';
import { standardRuntimeEndpoint } from './request-metrics';

/** Closing the app waits no longer than this for the last export: an endpoint that is away must not hold the quit. */
const CLOSE_BOUND_MS = 2_000;

/**
 * The desktop app's OpenTelemetry export (Settings, off by default): when on, every latency and load run's
 * measured requests go out as GenAI metrics (otlp-sink.ts) once the run is stored, from this machine's host name as
 * the vantage point, to where the standard OTEL_* variables of the app's environment say. Turning the setting on
 * or off rebuilds this feature; OpenTelemetry's modules load only when it is on, so a CLI start never pays for
 * them. `createTelemetryFeature` takes the environment (tests pass their receiver's endpoint).
 */
export function createTelemetryFeature({ env = process.env, exportIntervalMs }: { env?: Readonly<Record<string, string | undefined>>; exportIntervalMs?: number } = {}) {
  return defineFeature({
    name: 'telemetry',
    dependsOn: { aws: awsFeature, latency: latencyFeature },
    rebuildOn: ['otlpExport'],
    create: ({ settings, log, options }, { aws, latency }) => {
      if (!settings().otlpExport) return { exports: null };
      // server.address is the endpoint really called (an endpoint override, AWS_ENDPOINT_URL_BEDROCK_RUNTIME…),
      // looked up once per region before its first samples are recorded.
      const endpoints = new Map<string, URL>();
      const starting: Promise<OtlpSink | null> = import('./otlp-sink')
        .then(({ createOtlpSink }) =>
          createOtlpSink({
            vantage: hostname() || 'this machine',
            env,
            exportIntervalMs,
            log,
            serviceVersion: options.version,
            runtimeEndpoint: (region) => endpoints.get(region) ?? standardRuntimeEndpoint(region),
          }),
        )
        .catch((error: unknown) => {
          log(`OpenTelemetry export is off: ${(error as Error).message}`);
          return null;
        });
      const recording = new Set<Promise<void>>();
      const record = async (samples: readonly SampleRow[]) => {
        const sink = await starting;
        if (!sink) return;
        for (const region of new Set(samples.map((row) => row.region))) {
          if (!endpoints.has(region)) endpoints.set(region, await aws.runtimeEndpoint(region).catch(() => standardRuntimeEndpoint(region)));
        }
        sink.record(samples);
      };
      const stopFollowing = latency.onRunSaved((_runId, _kind, samples) => {
        if (samples.length === 0) return;
        const done = record(samples).finally(() => recording.delete(done));
        recording.add(done);
      });
      return {
        exports: null,
        // The runs saved before this are recorded, then the last export goes, bounded.
        dispose: async () => {
          stopFollowing();
          await Promise.all(recording);
          await (await starting)?.close(AbortSignal.timeout(CLOSE_BOUND_MS));
        },
      };
    },
  });
}

export const telemetryFeature = createTelemetryFeature();
