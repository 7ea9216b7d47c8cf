import { mkdtemp } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatencyRunInputSchema, type Settings } from '../../../../src-shared/contract';
import { emulatorPerFile } from '../../../testing/emulator-per-file';
import { emulatedCoreOptions } from '../../../testing/emulated-core';
import { startOtlpReceiver, type OtlpReceiver } from '../../../testing/otlp-receiver';
import { createAtlasCore, FEATURES, type AtlasCore } from '../../app/atlas-core';
import { createTelemetryFeature, telemetryFeature } from './feature';
import { METRIC } from './semconv';

const HAIKU_3 = 'anthropic.claude-3-haiku-20240307-v1:0';
const emulator = emulatorPerFile();
let receiver: OtlpReceiver;
let core: AtlasCore;
let logged: string[];

async function startCore(env: Record<string, string>, overrides: Partial<Settings> = {}): Promise<AtlasCore> {
  const features = FEATURES.map((feature) => (feature === telemetryFeature ? createTelemetryFeature({ env }) : feature));
  const dataDir = await mkdtemp(join(tmpdir(), 'atlas-telemetry-'));
  return createAtlasCore(emulatedCoreOptions(emulator.url, { features, overrides: { regions: ['us-east-1'], dataDir, ...overrides }, log: (line) => logged.push(line) }));
}

beforeEach(async () => {
  logged = [];
  receiver = await startOtlpReceiver();
  core = await startCore({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
});
afterEach(async () => {
  await core.close();
  await receiver.close();
});

const runLab = () =>
  core.streamHandlers.runLatency(LatencyRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1'], runs: 3, maxTokens: 5 }), {
    signal: new AbortController().signal,
    emit: async () => {},
  });

describe('OpenTelemetry export from the desktop app (Settings)', () => {
  it('is off by default: a stored run sends nothing', async () => {
    expect(core.settings().otlpExport).toBe(false);
    const report = await runLab();
    expect(report.stored).toBe(true);
    await core.close();
    expect(receiver.requests()).toBe(0);
  });

  it("turned on, sends each stored run's requests from this machine, naming the endpoint really called", async () => {
    await core.handlers.updateSettings({ otlpExport: true }, { signal: new AbortController().signal });
    const report = await runLab();
    expect(report.stored).toBe(true);
    // Closing the app sends what is left.
    await core.close();

    const duration = receiver.latest(METRIC.operationDuration);
    const point = duration?.dataPoints[0];
    expect(duration?.dataPoints).toHaveLength(1);
    expect(point?.count).toBe(3);
    expect(point?.attributes).toMatchObject({
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': HAIKU_3,
      'cloud.region': 'us-east-1',
      'bedrock_atlas.route.kind': 'on-demand',
      'bedrock_atlas.vantage': hostname(),
      'server.address': '127.0.0.1',
      'server.port': emulator.port,
    });
    expect(receiver.latest(METRIC.timeToFirstChunk)?.dataPoints[0]?.count).toBe(3);
    expect(duration?.resource).toMatchObject({ 'service.name': 'bedrock-atlas', 'service.version': '0.0.0-test' });
  });

  it('with an endpoint that is not a URL, says export is off and the lab runs and stores as ever', async () => {
    await core.close();
    core = await startCore({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318 token=abc123' }, { otlpExport: true });
    const report = await runLab();
    expect(report.stored).toBe(true);
    await core.close();
    const said = logged.filter((line) => line.includes('OpenTelemetry export is off'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^OpenTelemetry export is off: OTEL_EXPORTER_OTLP_ENDPOINT must be an http:\/\/ or https:\/\/ URL/);
    expect(logged.join('\n')).not.toContain('abc123');
    expect(receiver.requests()).toBe(0);
  });
});
