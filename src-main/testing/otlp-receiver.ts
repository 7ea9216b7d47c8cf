import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A local OTLP/HTTP metrics receiver on 127.0.0.1 for tests and benches: it decodes what an exporter really sends
 * (OTLP/JSON, `POST /v1/metrics`, gzip or not; the `@opentelemetry/exporter-metrics-otlp-http` exporter sends JSON)
 * into plain metrics with their resource, scope and data points. It can also play an endpoint that is away:
 * `unavailable` answers 503 (Retry-After: 60), `hang` holds every request unanswered until `release()` or `close()`.
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[];
export type ReceivedAttributes = Record<string, AttributeValue>;

export interface ReceivedDataPoint {
  attributes: ReceivedAttributes;
  /** Histograms. */
  count?: number;
  sum?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  /** Sums and gauges. */
  value?: number;
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  description: string;
  kind: 'histogram' | 'sum' | 'gauge' | 'other';
  /** 1 delta, 2 cumulative (OTLP's AggregationTemporality). */
  temporality: number | null;
  dataPoints: ReceivedDataPoint[];
  resource: ReceivedAttributes;
  scope: { name: string; version: string | null; schemaUrl: string | null };
}

export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
  contentType: string;
  metrics: ReceivedMetric[];
}

export type ReceiverMode = 'accept' | 'unavailable' | 'hang';

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: what OTEL_EXPORTER_OTLP_ENDPOINT takes. */
  url: string;
  /** Every export accepted and decoded, oldest first. */
  exports(): ReceivedExport[];
  /** The metric as the most recent export that carried it has it (cumulative temporality: the totals). */
  latest(name: string): ReceivedMetric | undefined;
  setMode(mode: ReceiverMode): void;
  /** Requests that arrived in any mode, accepted or not. */
  requests(): number;
  /** Requests held unanswered now (`hang`); a request the client gave up on is no longer held. */
  held(): number;
  /** Requests answered, whatever the answer. */
  answered(): number;
  /** Resolves once `count` requests have arrived in all (at once if they already have). */
  arrived(count: number): Promise<void>;
  /** Answers every held request with 503. */
  release(): void;
  close(): Promise<void>;
}

interface JsonKeyValue {
  key?: string;
  value?: JsonAnyValue;
}
interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
}
interface JsonDataPoint {
  attributes?: JsonKeyValue[];
  count?: number | string;
  sum?: number;
  bucketCounts?: (number | string)[];
  explicitBounds?: number[];
  asInt?: number | string;
  asDouble?: number;
}
interface JsonPoints {
  dataPoints?: JsonDataPoint[];
  aggregationTemporality?: number;
}
interface JsonMetric {
  name?: string;
  unit?: string;
  description?: string;
  histogram?: JsonPoints;
  sum?: JsonPoints;
  gauge?: JsonPoints;
}
interface JsonRequest {
  resourceMetrics?: {
    resource?: { attributes?: JsonKeyValue[] };
    scopeMetrics?: { scope?: { name?: string; version?: string }; schemaUrl?: string; metrics?: JsonMetric[] }[];
  }[];
}

function valueOf(value: JsonAnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  // OTLP/JSON may write 64-bit integers as strings.
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return null;
}

const attributesOf = (list: JsonKeyValue[] | undefined): ReceivedAttributes =>
  Object.fromEntries((list ?? []).flatMap((pair) => (pair.key === undefined ? [] : [[pair.key, valueOf(pair.value)]])));

function dataPointOf(point: JsonDataPoint): ReceivedDataPoint {
  const decoded: ReceivedDataPoint = { attributes: attributesOf(point.attributes) };
  if (point.count !== undefined) decoded.count = Number(point.count);
  if (point.sum !== undefined) decoded.sum = point.sum;
  if (point.bucketCounts) decoded.bucketCounts = point.bucketCounts.map(Number);
  if (point.explicitBounds) decoded.explicitBounds = point.explicitBounds;
  if (point.asInt !== undefined) decoded.value = Number(point.asInt);
  if (point.asDouble !== undefined) decoded.value = point.asDouble;
  return decoded;
}

/** The metrics of one OTLP/JSON ExportMetricsServiceRequest. */
export function decodeOtlpJson(body: string): ReceivedMetric[] {
  const request = JSON.parse(body) as JsonRequest;
  return (request.resourceMetrics ?? []).flatMap((resourceMetrics) => {
    const resource = attributesOf(resourceMetrics.resource?.attributes);
    return (resourceMetrics.scopeMetrics ?? []).flatMap((scopeMetrics) =>
      (scopeMetrics.metrics ?? []).map((metric): ReceivedMetric => {
        const [kind, points]: [ReceivedMetric['kind'], JsonPoints | undefined] = metric.histogram
          ? ['histogram', metric.histogram]
          : metric.sum
            ? ['sum', metric.sum]
            : metric.gauge
              ? ['gauge', metric.gauge]
              : ['other', undefined];
        return {
          name: metric.name ?? '',
          unit: metric.unit ?? '',
          description: metric.description ?? '',
          kind,
          temporality: points?.aggregationTemporality ?? null,
          dataPoints: (points?.dataPoints ?? []).map(dataPointOf),
          resource,
          scope: { name: scopeMetrics.scope?.name ?? '', version: scopeMetrics.scope?.version ?? null, schemaUrl: scopeMetrics.schemaUrl ?? null },
        };
      }),
    );
  });
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedExport[] = [];
  const held = new Set<ServerResponse>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let mode: ReceiverMode = 'accept';
  let requests = 0;
  let answered = 0;

  const answer = (response: ServerResponse, status: number, body: string) => {
    held.delete(response);
    if (response.writableEnded || response.destroyed) return;
    answered++;
    // A 503 says when to come back, as a collector that sheds load does: an exporter then gives up at once rather
    // than retrying within its timeout.
    response.writeHead(status, { 'content-type': 'application/json', ...(status === 503 ? { 'retry-after': '60' } : {}) }).end(body);
  };

  const server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request).catch(() => null);
      requests++;
      for (const waiter of waiters.filter((candidate) => candidate.count <= requests)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (mode === 'hang') {
        held.add(response);
        response.on('close', () => held.delete(response));
        return;
      }
      if (mode === 'unavailable') return answer(response, 503, '{"message":"unavailable"}');
      if (raw === null || request.method !== 'POST' || request.url !== '/v1/metrics') return answer(response, 404, '{}');
      const contentType = request.headers['content-type'] ?? '';
      if (!contentType.startsWith('application/json')) return answer(response, 415, '{"message":"this receiver decodes OTLP/JSON only"}');
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      try {
        received.push({ path: request.url, headers: request.headers, contentType, metrics: decodeOtlpJson(body.toString('utf8')) });
      } catch {
        return answer(response, 400, '{"message":"not OTLP/JSON"}');
      }
      answer(response, 200, '{}');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    exports: () => [...received],
    latest: (name) => {
      for (let index = received.length - 1; index >= 0; index--) {
        const metric = received[index]?.metrics.find((candidate) => candidate.name === name);
        if (metric) return metric;
      }
      return undefined;
    },
    setMode: (next) => {
      mode = next;
    },
    requests: () => requests,
    held: () => held.size,
    answered: () => answered,
    arrived: (count) => (requests >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    release: () => {
      for (const response of [...held]) answer(response, 503, '{"message":"unavailable"}');
    },
    close: async () => {
      for (const response of [...held]) answer(response, 503, '{"message":"closing"}');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
