import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SampleRow } from '../../latency/history-store';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedMetric } from '../../../testing/otlp-receiver';
import type { FleetCycle } from '../cycle';
import { createOtlpSink, type OtlpSink, type OtlpSinkOptions } from './otlp-sink';
import { BUCKETS, METRIC } from './semconv';

/** A measured request as the history keeps it: 250 ms to the first token, 900 ms in all, 42 output tokens. */
function sample(overrides: Partial<SampleRow> = {}): SampleRow {
  return {
    runId: 'run-1',
    at: 1_700_000_001_000,
    target: 'anthropic.claude-3-haiku-20240307-v1:0',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    routeKey: 'us.anthropic.claude-3-haiku-20240307-v1:0@us-east-1',
    region: 'us-east-1',
    invokeId: 'us.anthropic.claude-3-haiku-20240307-v1:0',
    kind: 'geo-profile',
    errorClass: null,
    ttftMs: 250,
    e2eMs: 900,
    interTokenMs: 15,
    outputTokens: 42,
    serverLatencyMs: 820,
    largestGapMs: 40,
    reusedSocket: true,
    requestId: 'req-1',
    sentAt: 1_700_000_000_100,
    ...overrides,
  };
}

const failed = (errorClass: string, overrides: Partial<SampleRow> = {}): SampleRow =>
  sample({ errorClass, ttftMs: null, e2eMs: null, interTokenMs: null, outputTokens: null, serverLatencyMs: null, largestGapMs: null, ...overrides });

/** Log lines as they come, and a way to wait for the first one that matches. */
function logLines() {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  return {
    lines,
    log: (line: string) => {
      lines.push(line);
      for (const waiter of waiting.filter((candidate) => candidate.pattern.test(line))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    },
    next: (pattern: RegExp) => new Promise<string>((resolve) => waiting.push({ pattern, resolve })),
  };
}

/** Index of the bucket a value falls in: OTLP's buckets are (previous bound, bound], the last one open. */
const bucketOf = (bounds: readonly number[], value: number) => {
  const index = bounds.findIndex((bound) => value <= bound);
  return index === -1 ? bounds.length : index;
};

const countsWith = (bounds: readonly number[], values: number[]) => {
  const counts: number[] = new Array<number>(bounds.length + 1).fill(0);
  for (const value of values) counts[bucketOf(bounds, value)]! += 1;
  return counts;
};

const only = (metric: ReceivedMetric | undefined) => {
  expect(metric?.dataPoints).toHaveLength(1);
  return metric!.dataPoints[0]!;
};

let receiver: OtlpReceiver;
const sinks: OtlpSink[] = [];
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close(AbortSignal.abort())));
  await receiver.close();
});

/** A sink that exports only when flushed (its interval is an hour), to this test's receiver. */
function sinkFor(env: Record<string, string> = {}, options: Partial<OtlpSinkOptions> = {}): OtlpSink {
  const sink = createOtlpSink({ vantage: 'berlin-office', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env }, exportIntervalMs: 3_600_000, ...options });
  sinks.push(sink);
  return sink;
}

describe('the OTLP sink', () => {
  it('exports every measured request as the GenAI client metrics of semantic conventions 1.41.1, with their units, buckets and attributes', async () => {
    const sink = sinkFor();
    sink.record([sample(), sample({ ttftMs: 15, e2eMs: 3_000, outputTokens: 300 }), sample({ e2eMs: 81_920 + 1 })]);
    await sink.flush();

    const duration = receiver.latest(METRIC.operationDuration);
    expect(duration).toMatchObject({ unit: 's', kind: 'histogram', temporality: 2 });
    const durationPoint = only(duration);
    expect(durationPoint.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': 'us.anthropic.claude-3-haiku-20240307-v1:0',
      'server.address': 'bedrock-runtime.us-east-1.amazonaws.com',
      'server.port': 443,
      'cloud.region': 'us-east-1',
      'bedrock_atlas.route.kind': 'geo-profile',
      'bedrock_atlas.vantage': 'berlin-office',
    });
    expect(durationPoint.explicitBounds).toEqual(BUCKETS.seconds);
    expect(durationPoint.count).toBe(3);
    expect(durationPoint.bucketCounts).toEqual(countsWith(BUCKETS.seconds, [0.9, 3, 81.921]));
    expect(durationPoint.bucketCounts?.at(-1)).toBe(1); // beyond the last bound

    const firstChunk = receiver.latest(METRIC.timeToFirstChunk);
    expect(firstChunk).toMatchObject({ unit: 's', kind: 'histogram' });
    const firstChunkPoint = only(firstChunk);
    expect(firstChunkPoint.attributes).toEqual(durationPoint.attributes);
    expect(firstChunkPoint.explicitBounds).toEqual(BUCKETS.seconds);
    expect(firstChunkPoint.bucketCounts).toEqual(countsWith(BUCKETS.seconds, [0.25, 0.015, 0.25]));

    const tokens = receiver.latest(METRIC.tokenUsage);
    expect(tokens).toMatchObject({ unit: '{token}', kind: 'histogram' });
    const tokenPoint = only(tokens);
    expect(tokenPoint.attributes).toEqual({ ...durationPoint.attributes, 'gen_ai.token.type': 'output' });
    expect(tokenPoint.explicitBounds).toEqual(BUCKETS.tokens);
    expect(tokenPoint.sum).toBe(42 + 300 + 42);
    expect(tokenPoint.bucketCounts).toEqual(countsWith(BUCKETS.tokens, [42, 300, 42]));

    // The older attribute name is not sent beside the current one, and the meter names its schema.
    expect(Object.keys(durationPoint.attributes)).not.toContain('gen_ai.system');
    expect(duration?.scope.schemaUrl).toBe('https://opentelemetry.io/schemas/1.41.0');
    expect(sink.status()).toMatchObject({ name: 'otlp', recorded: 3, written: 3, pending: 0, dropped: 0, exportsSucceeded: 1, exportsFailed: 0, lastError: null });
  });

  it('a failed request is a duration with error.type; one with no send time is counted, never given a made-up duration', async () => {
    const sink = sinkFor();
    sink.record([
      sample(),
      failed('throttled', { sentAt: 1_700_000_000_000, at: 1_700_000_000_400 }),
      failed('throttled', { sentAt: null }),
      failed('timeout', { sentAt: 1_700_000_000_000, at: 1_699_999_999_000 }), // the wall clock went back
    ]);
    await sink.flush();

    const points = receiver.latest(METRIC.operationDuration)?.dataPoints ?? [];
    const throttled = points.find((point) => point.attributes['error.type'] === 'throttled');
    expect(throttled).toMatchObject({ count: 1, sum: 0.4 });
    expect(points.find((point) => point.attributes['error.type'] === undefined)).toMatchObject({ count: 1, sum: 0.9 });
    expect(points).toHaveLength(2);

    const unknown = receiver.latest(METRIC.errorsWithoutDuration);
    expect(unknown).toMatchObject({ unit: '{request}', kind: 'sum' });
    expect(unknown?.dataPoints.map((point) => [point.attributes['error.type'], point.value]).sort()).toEqual([
      ['throttled', 1],
      ['timeout', 1],
    ]);
    // Failures have no first chunk and no usage.
    expect(only(receiver.latest(METRIC.timeToFirstChunk)).count).toBe(1);
    expect(only(receiver.latest(METRIC.tokenUsage)).count).toBe(1);
  });

  it("writes a monitor cycle's samples from the cycle's vantage", async () => {
    const sink = sinkFor();
    const cycle: FleetCycle = {
      runId: 'cycle-1',
      vantage: 'us-west-2/usw2-az1',
      startedAt: 1,
      finishedAt: 2,
      run: { id: 'cycle-1', kind: 'latency', startedAt: '2026-01-01T00:00:00Z', finishedAt: null, target: null, status: 'completed', report: {} },
      samples: [sample({ region: 'eu-west-1' }), sample({ region: 'eu-west-1' })],
      probes: [],
    };
    await sink.write(cycle);
    await sink.flush();
    const point = only(receiver.latest(METRIC.operationDuration));
    expect(point).toMatchObject({ count: 2 });
    expect(point.attributes).toMatchObject({ 'bedrock_atlas.vantage': 'us-west-2/usw2-az1', 'cloud.region': 'eu-west-1', 'server.address': 'bedrock-runtime.eu-west-1.amazonaws.com' });
  });

  it('names the endpoint really called in server.address when requests went elsewhere (an endpoint override)', async () => {
    const sink = sinkFor({}, { runtimeEndpoint: () => new URL('http://127.0.0.1:4566') });
    sink.record([sample()]);
    await sink.flush();
    expect(only(receiver.latest(METRIC.operationDuration)).attributes).toMatchObject({ 'server.address': '127.0.0.1', 'server.port': 4566 });
  });
});

describe('configured by the standard OpenTelemetry variables', () => {
  it('OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME make the resource, and the service is bedrock-atlas otherwise', async () => {
    const plain = sinkFor();
    plain.record([sample()]);
    await plain.flush();
    expect(receiver.latest(METRIC.operationDuration)?.resource).toMatchObject({ 'service.name': 'bedrock-atlas', 'telemetry.sdk.language': 'nodejs' });

    const named = sinkFor(
      { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=platform%20latency,service.name=from-attributes', OTEL_SERVICE_NAME: 'latency-monitor' },
      { serviceVersion: '1.2.3' },
    );
    named.record([sample()]);
    await named.flush();
    expect(receiver.latest(METRIC.operationDuration)?.resource).toMatchObject({
      'service.name': 'latency-monitor',
      'service.version': '1.2.3',
      'deployment.environment.name': 'prod',
      team: 'platform latency',
    });
  });

  it('OTEL_EXPORTER_OTLP_HEADERS go out as request headers, and their values never reach the log or the status', async () => {
    const lines = logLines();
    const sink = sinkFor(
      { OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=sk-live-4f9a2b7c,x-team=latency', OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-team=fleet' },
      { log: lines.log },
    );
    sink.record([sample()]);
    await sink.flush();
    expect(receiver.exports()[0]?.headers).toMatchObject({ 'x-api-key': 'sk-live-4f9a2b7c', 'x-team': 'fleet', 'content-type': 'application/json' });

    // A failing endpoint's answer, quoted in the status and the log, is cleaned of the header values too.
    receiver.setMode('unavailable');
    const failure = lines.next(/failed/);
    sink.record([sample()]);
    await sink.flush();
    await failure;
    const said = [...lines.lines, JSON.stringify(sink.status())].join('\n');
    expect(said).toContain('x-api-key');
    expect(said).not.toContain('sk-live-4f9a2b7c');
    expect(said).not.toContain('fleet');
  });

  it('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is used as it is, before OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const sink = sinkFor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/v1/metrics` });
    sink.record([sample()]);
    await sink.flush();
    expect(receiver.exports()).toHaveLength(1);
  });
});

describe('an endpoint that is away never blocks or slows measuring', () => {
  it('down: recording completes, the failures are counted, and the next export delivers everything recorded', async () => {
    const lines = logLines();
    receiver.setMode('unavailable');
    const sink = sinkFor({}, { log: lines.log });
    const failure = lines.next(/failed/);
    sink.record(Array.from({ length: 500 }, () => sample()));
    await sink.flush();
    await failure;
    expect(sink.status()).toMatchObject({ recorded: 500, written: 0, pending: 500, dropped: 0, exportsSucceeded: 0 });
    expect(sink.status().exportsFailed).toBeGreaterThanOrEqual(1);
    expect(sink.status().lastError).toMatch(/retryable|unavailable|503/i);

    receiver.setMode('accept');
    const back = lines.next(/works again/);
    sink.record(Array.from({ length: 20 }, () => sample()));
    await sink.flush();
    await back;
    // Cumulative temporality: the export after the failures carries every request, none lost.
    expect(only(receiver.latest(METRIC.operationDuration)).count).toBe(520);
    expect(sink.status()).toMatchObject({ recorded: 520, written: 520, pending: 0, lastError: null });
  });

  it('down, nothing listening: recording completes and the refused connection is counted', async () => {
    const gone = await startOtlpReceiver();
    await gone.close();
    const lines = logLines();
    const sink = sinkFor({ OTEL_EXPORTER_OTLP_ENDPOINT: gone.url, OTEL_METRIC_EXPORT_TIMEOUT: '500' }, { log: lines.log });
    const failure = lines.next(/failed/);
    sink.record(Array.from({ length: 100 }, () => sample()));
    await sink.flush();
    await failure;
    expect(sink.status()).toMatchObject({ recorded: 100, written: 0, pending: 100, exportsSucceeded: 0 });
    expect(sink.status().exportsFailed).toBeGreaterThanOrEqual(1);
  });

  it('down with delta temporality: what a failed export carried is counted as dropped', async () => {
    const lines = logLines();
    receiver.setMode('unavailable');
    const sink = sinkFor({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' }, { log: lines.log });
    const failure = lines.next(/failed/);
    sink.record(Array.from({ length: 30 }, () => sample()));
    await sink.flush();
    await failure;
    receiver.setMode('accept');
    const back = lines.next(/works again/);
    sink.record(Array.from({ length: 5 }, () => sample()));
    await sink.flush();
    await back;
    expect(receiver.latest(METRIC.operationDuration)).toMatchObject({ temporality: 1 });
    expect(only(receiver.latest(METRIC.operationDuration)).count).toBe(5);
    expect(sink.status()).toMatchObject({ recorded: 35, written: 5, dropped: 30, pending: 0 });
  });

  it('hanging: recording returns while the export is held, and flush and close resolve while the endpoint still hangs', async () => {
    receiver.setMode('hang');
    // An export timeout far longer than the test: nothing here may wait for it.
    const sink = sinkFor({ OTEL_METRIC_EXPORT_TIMEOUT: '600000' }, { exportIntervalMs: 3_600_000 });
    sink.record([sample()]);
    const stuck = new AbortController();
    const firstFlush = sink.flush(stuck.signal);
    await receiver.arrived(1);
    expect(receiver.held()).toBe(1);

    await sink.write({
      runId: 'during-the-hang',
      vantage: 'berlin-office',
      startedAt: 1,
      finishedAt: 2,
      run: { id: 'during-the-hang', kind: 'latency', startedAt: '2026-01-01T00:00:00Z', finishedAt: null, target: null, status: 'completed', report: {} },
      samples: Array.from({ length: 10_000 }, () => sample()),
      probes: [],
    });
    // Recorded, in memory, while the endpoint still holds the first export unanswered.
    expect(sink.status()).toMatchObject({ recorded: 10_001, written: 0, pending: 10_001 });
    expect(receiver.held()).toBe(1);
    expect(receiver.answered()).toBe(0);

    stuck.abort();
    await firstFlush;
    expect(receiver.held()).toBe(1);

    const stop = new AbortController();
    const closing = sink.close(stop.signal);
    stop.abort();
    await closing;
    expect(receiver.held()).toBe(1);
    expect(receiver.answered()).toBe(0);
  });

  it('close without a signal is bounded by the export timeout, whatever the endpoint does', async () => {
    receiver.setMode('hang');
    const sink = sinkFor({ OTEL_METRIC_EXPORT_TIMEOUT: '300' });
    sink.record([sample()]);
    void sink.flush();
    await receiver.arrived(1);
    await sink.close();
    expect(receiver.answered()).toBe(0);
    // Closed: later records are ignored rather than thrown at the measuring code.
    expect(() => sink.record([sample()])).not.toThrow();
    expect(sink.status().recorded).toBe(1);
  });
});
