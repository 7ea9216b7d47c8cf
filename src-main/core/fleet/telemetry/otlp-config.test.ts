import { describe, expect, it } from 'vitest';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { describeOtlpConfig, OtlpConfigError, readOtlpConfig } from './otlp-config';
import { createOtlpSink } from './otlp-sink';

describe('the OTLP settings from the OTEL_* variables', () => {
  it('sends to a local collector with the defaults when nothing is set', () => {
    expect(readOtlpConfig({})).toMatchObject({
      url: 'http://localhost:4318/v1/metrics',
      headers: {},
      serviceName: 'bedrock-atlas',
      exportIntervalMs: 60_000,
      exportTimeoutMs: 5_000,
      temporality: AggregationTemporalityPreference.CUMULATIVE,
      warnings: [],
    });
  });

  it('appends v1/metrics to OTEL_EXPORTER_OTLP_ENDPOINT, path and all', () => {
    expect(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com/otel' }).url).toBe('https://otlp.example.com/otel/v1/metrics');
    expect(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com/' }).url).toBe('https://otlp.example.com/v1/metrics');
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable and not its value', () => {
    expect(() => readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318?token=abc123' })).toThrow(OtlpConfigError);
    expect(() => readOtlpConfig({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'not a url token=abc123' })).toThrow(/^OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is not a URL/);
    expect(() => readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/must be an http:\/\/ or https:\/\/ URL/);
    try {
      createOtlpSink({ vantage: 'lab', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url abc123' } });
      expect.unreachable('the sink must not start');
    } catch (error) {
      expect(error).toBeInstanceOf(OtlpConfigError);
      expect((error as Error).message).not.toContain('abc123');
    }
  });

  it('percent-decodes headers, lets the metrics-specific ones win, and names a malformed one by its key only', () => {
    const config = readOtlpConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20tok-9f8e,x-scope=general,broken-secret%ZZ=v%ZZ-hunter2',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-scope=metrics',
    });
    expect(config.headers).toEqual({ Authorization: 'Bearer tok-9f8e', 'x-scope': 'metrics' });
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain('broken-secret%ZZ');
    expect(config.warnings[0]).not.toContain('hunter2');
    expect(describeOtlpConfig(config)).toContain('headers Authorization, x-scope');
    expect(describeOtlpConfig(config)).not.toContain('tok-9f8e');
  });

  it('discards a malformed OTEL_RESOURCE_ATTRIBUTES whole, as the SDK does, and says so', () => {
    const config = readOtlpConfig({ OTEL_RESOURCE_ATTRIBUTES: 'team=latency,no-equals-sign', OTEL_SERVICE_NAME: 'monitor' });
    expect(config.resourceAttributes).toEqual({});
    expect(config.serviceName).toBe('monitor');
    expect(config.warnings).toEqual(['OTEL_RESOURCE_ATTRIBUTES is malformed (at (no key)); none of it is used.']);
  });

  it('takes the service name from OTEL_SERVICE_NAME, then service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
    expect(readOtlpConfig({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes' }).serviceName).toBe('from-attributes');
    expect(readOtlpConfig({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes', OTEL_SERVICE_NAME: 'from-name' }).serviceName).toBe('from-name');
  });

  it('keeps the export timeout within the interval, and falls back from values that are not milliseconds', () => {
    expect(readOtlpConfig({ OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_METRIC_EXPORT_TIMEOUT: '30000' })).toMatchObject({ exportIntervalMs: 1000, exportTimeoutMs: 1000 });
    expect(readOtlpConfig({ OTEL_METRIC_EXPORT_INTERVAL: '1000' }, { exportIntervalMs: 20_000 }).exportIntervalMs).toBe(20_000);
    const config = readOtlpConfig({ OTEL_METRIC_EXPORT_INTERVAL: '-5', OTEL_METRIC_EXPORT_TIMEOUT: 'soon', OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes' });
    expect(config).toMatchObject({ exportIntervalMs: 60_000, exportTimeoutMs: 5_000, temporality: AggregationTemporalityPreference.CUMULATIVE });
    expect(config.warnings).toHaveLength(3);
    expect(readOtlpConfig({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta' }).temporality).toBe(AggregationTemporalityPreference.DELTA);
  });
});
