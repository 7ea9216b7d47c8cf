/**
 * The OpenTelemetry GenAI semantic conventions this export follows: semantic-conventions v1.41.1
 * (docs/gen-ai/gen-ai-metrics.md, model/gen-ai/*.yaml), the last release of the GenAI conventions in
 * open-telemetry/semantic-conventions (v1.42.0 moved them out; opentelemetry.io/docs/specs/semconv/gen-ai/ shows
 * the same names). They are the names the issue asks for and the names backends' GenAI dashboards read today.
 *
 * The GenAI conventions now live in open-telemetry/semantic-conventions-genai, whose v0.1.0 renames inference
 * metrics (`gen_ai.client.inference.duration`, `gen_ai.client.inference.time_to_first_chunk`, and token counters in
 * place of `gen_ai.client.token.usage`). Its own migration guide says it is a work in progress with breaking
 * changes still being made, so this module keeps v1.41.1; moving later changes these names only.
 */
export const SEMCONV_VERSION = '1.41.1';
/** The meter's schema URL: 1.41.1 is a patch release with no schema file of its own, so its schema is 1.41.0's. */
export const SEMCONV_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.41.0';

export const METRIC = {
  /** Histogram, seconds: the whole request, first byte sent to last byte received (or to the failure). */
  operationDuration: 'gen_ai.client.operation.duration',
  /**
   * Histogram, seconds: time to first token AS THE CLIENT MEASURED IT (request sent to first streamed chunk,
   * network included). The issue named `gen_ai.server.time_to_first_token`, but v1.41.1 defines that one for model
   * servers (queueing and prefill, no network), and defines this client-side metric for exactly what the lab
   * measures (added in v1.41.0); the conventions' maintainers ask instrumentations to use it for client-measured TTFT
   * ("client, not server"). Recorded for streaming calls only, as the conventions say: every lab request streams.
   */
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
  /** Histogram, `{token}`, with `gen_ai.token.type`. */
  tokenUsage: 'gen_ai.client.token.usage',
  /**
   * Counter, `{request}`: failed requests whose duration is unknown (no send time, or a clock that went back). The
   * conventions count failures through the duration histogram's `error.type`; a failure without a duration would
   * otherwise vanish, and a made-up duration would skew the latency.
   */
  errorsWithoutDuration: 'bedrock_atlas.client.operation.errors_without_duration',
} as const;

/** Each histogram's ExplicitBucketBoundaries as v1.41.1 recommends them. */
export const BUCKETS = {
  /** gen_ai.client.operation.duration and gen_ai.client.operation.time_to_first_chunk share this set. */
  seconds: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  tokens: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
} as const;

/**
 * Attribute keys. `gen_ai.provider.name` replaced `gen_ai.system` (v1.37.0, "renamed"); the conventions' transition
 * plan for GenAI has no "emit both" mode (only `gen_ai_latest_experimental`, meant for instrumentations that used to
 * emit v1.36.0), and this export never emitted the old name, so it emits only the current one.
 */
export const ATTRIBUTE = {
  providerName: 'gen_ai.provider.name',
  operationName: 'gen_ai.operation.name',
  requestModel: 'gen_ai.request.model',
  tokenType: 'gen_ai.token.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  cloudRegion: 'cloud.region',
  errorType: 'error.type',
  /** Namespaced custom attributes: what the conventions have no key for. */
  routeKind: 'bedrock_atlas.route.kind',
  vantage: 'bedrock_atlas.vantage',
} as const;

/** The well-known value for Amazon Bedrock. */
export const PROVIDER_AWS_BEDROCK = 'aws.bedrock';
/** Every measured request is a Converse-style chat completion. */
export const OPERATION_CHAT = 'chat';

/** The service name when neither OTEL_SERVICE_NAME nor `service.name` in OTEL_RESOURCE_ATTRIBUTES gives one. */
export const DEFAULT_SERVICE_NAME = 'bedrock-atlas';
