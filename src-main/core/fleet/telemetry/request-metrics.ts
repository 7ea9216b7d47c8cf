import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { SampleRow } from '../../latency/history-store';
import { ATTRIBUTE, BUCKETS, METRIC, OPERATION_CHAT, PROVIDER_AWS_BEDROCK } from './semconv';

/** The runtime endpoint a region's requests went to: `server.address` and `server.port` on every data point. */
export type RuntimeEndpointOf = (region: string) => URL;

/** Bedrock's own runtime endpoint for a region, when nothing else (an endpoint override) was called. */
export const standardRuntimeEndpoint: RuntimeEndpointOf = (region) => new URL(`https://bedrock-runtime.${region}.amazonaws.com`);

/** A failed request's sets carry `error.type`; a measured one's token usage carries `gen_ai.token.type`. */
interface SeriesAttributes {
  request: Attributes;
  outputTokens: Attributes | null;
}

const MAX_CACHED_SERIES = 10_000;

const portOf = (url: URL): number => (url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443);

/**
 * The GenAI client instruments (see semconv.ts) and how one measured request becomes their data points. Recording is
 * synchronous and in memory: the SDK aggregates into histograms, and the reader exports them later.
 */
export class RequestMetrics {
  private readonly duration: Histogram;
  private readonly timeToFirstChunk: Histogram;
  private readonly tokenUsage: Histogram;
  private readonly errorsWithoutDuration: Counter;

  constructor(
    meter: Meter,
    private readonly runtimeEndpoint: RuntimeEndpointOf,
  ) {
    this.duration = meter.createHistogram(METRIC.operationDuration, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...BUCKETS.seconds] },
    });
    this.timeToFirstChunk = meter.createHistogram(METRIC.timeToFirstChunk, {
      description: 'Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...BUCKETS.seconds] },
    });
    this.tokenUsage = meter.createHistogram(METRIC.tokenUsage, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: [...BUCKETS.tokens] },
    });
    this.errorsWithoutDuration = meter.createCounter(METRIC.errorsWithoutDuration, {
      description: 'Failed GenAI requests whose duration is not known (counted here rather than given a made-up duration).',
      unit: '{request}',
    });
  }

  /**
   * Each series' attribute sets, made once: a monitor measures the same few routes for months, and building them
   * (the endpoint's URL parsed, three objects spread) is most of a record's cost.
   */
  private readonly seriesAttributes = new Map<string, SeriesAttributes>();

  private attributesOf(row: SampleRow, vantage: string): SeriesAttributes {
    const key = `${row.invokeId}\u0000${row.region}\u0000${row.kind}\u0000${row.errorClass ?? ''}\u0000${vantage}`;
    let series = this.seriesAttributes.get(key);
    if (!series) {
      const endpoint = this.runtimeEndpoint(row.region);
      const common: Attributes = {
        [ATTRIBUTE.operationName]: OPERATION_CHAT,
        [ATTRIBUTE.providerName]: PROVIDER_AWS_BEDROCK,
        [ATTRIBUTE.requestModel]: row.invokeId,
        [ATTRIBUTE.serverAddress]: endpoint.hostname,
        [ATTRIBUTE.serverPort]: portOf(endpoint),
        [ATTRIBUTE.cloudRegion]: row.region,
        [ATTRIBUTE.routeKind]: row.kind,
        [ATTRIBUTE.vantage]: vantage,
      };
      series =
        row.errorClass === null
          ? { request: common, outputTokens: { ...common, [ATTRIBUTE.tokenType]: 'output' } }
          : { request: { ...common, [ATTRIBUTE.errorType]: row.errorClass }, outputTokens: null };
      // Bounded whatever the rows: past the cap (never reached by a real monitor's routes) the sets are made again.
      if (this.seriesAttributes.size >= MAX_CACHED_SERIES) this.seriesAttributes.clear();
      this.seriesAttributes.set(key, series);
    }
    return series;
  }

  /** The data points of one measured request; never throws for a row with missing figures. */
  record(row: SampleRow, vantage: string): void {
    const { request, outputTokens } = this.attributesOf(row, vantage);
    if (row.errorClass !== null) {
      // A failure's duration is from the send to when it was recorded (`at`): the history keeps no e2e for it.
      const seconds = row.sentAt === null ? null : (row.at - row.sentAt) / 1000;
      if (seconds !== null && Number.isFinite(seconds) && seconds >= 0) this.duration.record(seconds, request);
      else this.errorsWithoutDuration.add(1, request);
      return;
    }
    if (isMeasured(row.e2eMs)) this.duration.record(row.e2eMs / 1000, request);
    if (isMeasured(row.ttftMs)) this.timeToFirstChunk.record(row.ttftMs / 1000, request);
    // The history keeps no input token count per sample, so only output usage is reported (the conventions ask
    // for counts that are readily available, and for none rather than guesses).
    if (isMeasured(row.outputTokens) && outputTokens) this.tokenUsage.record(row.outputTokens, outputTokens);
  }
}

const isMeasured = (value: number | null): value is number => value !== null && Number.isFinite(value) && value >= 0;
