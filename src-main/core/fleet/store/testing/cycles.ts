import type { ProbeSampleRow, SampleRow } from '../../../latency/history-store';
import type { FleetCycle } from '../../cycle';

/**
 * Cycles as a monitor hands them to a sink, for the store's tests: every field set the way the latency lab sets it,
 * values chosen by the test so what is read back can be compared exactly.
 */

export interface SampleSpec {
  region?: string;
  modelId?: string;
  kind?: string;
  ttftMs?: number | null;
  errorClass?: string | null;
  /** Offset from the cycle's start, ms. */
  atOffsetMs?: number;
}

export function sampleRow(runId: string, startedAt: number, index: number, spec: SampleSpec = {}): SampleRow {
  const region = spec.region ?? 'us-east-1';
  const modelId = spec.modelId ?? 'amazon.nova-lite-v1:0';
  const kind = spec.kind ?? 'on-demand';
  const ttftMs = spec.ttftMs === undefined ? 200 + index : spec.ttftMs;
  const failed = (spec.errorClass ?? null) !== null;
  const at = startedAt + (spec.atOffsetMs ?? index * 1000);
  return {
    runId,
    at,
    target: modelId,
    modelId,
    routeKey: region,
    region,
    invokeId: modelId,
    kind,
    errorClass: spec.errorClass ?? null,
    ttftMs: failed ? null : ttftMs,
    e2eMs: failed || ttftMs === null ? null : ttftMs + 400.25,
    interTokenMs: failed ? null : 12.5,
    outputTokens: failed ? null : 64,
    serverLatencyMs: failed ? null : 150.5,
    largestGapMs: failed ? null : 30,
    reusedSocket: index > 0,
    requestId: failed ? null : `req-${runId}-${index}`,
    sentAt: at - 3,
  };
}

export interface CycleSpec {
  runId: string;
  vantage: string;
  startedAt: number;
  samples?: SampleSpec[];
  probes?: number;
  settings?: unknown;
}

export function fleetCycle({ runId, vantage, startedAt, samples = [{}, {}], probes = 0, settings }: CycleSpec): FleetCycle {
  const sampleRows = samples.map((spec, index) => sampleRow(runId, startedAt, index, spec));
  const probeRows: ProbeSampleRow[] = Array.from({ length: probes }, (_, index) => ({
    runId,
    at: startedAt + index,
    region: index % 2 === 0 ? 'us-east-1' : 'eu-west-1',
    connection: index % 2 === 0 ? 'cold' : 'warm',
    dnsMs: index % 2 === 0 ? 4.5 : null,
    connectMs: index % 2 === 0 ? 20 : null,
    tlsMs: index % 2 === 0 ? 30 : null,
    ttfbMs: 90 + index,
    totalMs: 120 + index,
  }));
  const finishedAt = startedAt + 60_000;
  return {
    runId,
    vantage,
    startedAt,
    finishedAt,
    run: {
      id: runId,
      kind: 'latency',
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      target: 'amazon.nova-lite-v1:0',
      status: 'completed',
      report: settings ?? { settings: { runs: sampleRows.length, concurrency: 1, maxTokens: 64 } },
    },
    samples: sampleRows,
    probes: probeRows,
  };
}
