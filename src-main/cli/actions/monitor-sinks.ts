import { join } from 'node:path';
import type { MonitorConfig } from '../../../src-shared/fleet/monitor-config';
import { awsFeature } from '../../core/app/aws-feature';
import type { AtlasCore } from '../../core/app/atlas-core';
import type { FleetSink } from '../../core/fleet/cycle';
import { InvalidStoreLocation } from '../../core/fleet/store/layout';
import { createStoreSink } from '../../core/fleet/store/store-sink';
import { createOtlpSink } from '../../core/fleet/telemetry/otlp-sink';
import { UsageError } from '../io';

/**
 * The sinks a monitor's config asks for: the team's Parquet store (a directory or an S3 prefix, spooled in the data
 * directory while S3 is away) and OTLP metrics (configured by the standard OTEL_* variables).
 */

/** The bucket is called in the region the environment names (ECS, Lambda and the SDK set AWS_REGION). */
const storeRegion = (env: NodeJS.ProcessEnv) => env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';

export async function createMonitorSinks(
  config: MonitorConfig,
  { vantage, dataDir, core, version, log }: { vantage: string; dataDir: string; core: AtlasCore; version: string; log: (line: string) => void },
): Promise<FleetSink[]> {
  const sinks: FleetSink[] = [];
  const pool = core.exportsOf(awsFeature);
  const { store, otlp } = config.sinks;
  if (store) {
    try {
      sinks.push(
        createStoreSink({
          location: store.location,
          pool,
          region: storeRegion(process.env),
          spoolDir: join(dataDir, 'spool'),
          ...(store.spoolMaxMb !== undefined ? { spoolMaxBytes: store.spoolMaxMb * 1024 * 1024 } : {}),
          log,
        }),
      );
    } catch (error) {
      if (error instanceof InvalidStoreLocation) throw new UsageError(`sinks.store.location: ${error.message}`);
      throw error;
    }
  }
  if (otlp?.enabled) {
    const endpointUrl = pool.endpointUrl;
    sinks.push(
      createOtlpSink({
        vantage,
        log,
        serviceVersion: version,
        ...(endpointUrl ? { runtimeEndpoint: () => new URL(endpointUrl) } : {}),
      }),
    );
  }
  return sinks;
}
