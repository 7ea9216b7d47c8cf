import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SampleRow } from '../core/latency/history-store';
import { createOtlpSink } from '../core/fleet/telemetry/otlp-sink';
import { startOtlpReceiver } from '../testing/otlp-receiver';
import { cycle } from './samples';

/**
 * OTLP export's cost per measured request (issue 19: ≤ 0.1 ms). 200 000 requests are recorded the way the sinks
 * record them, in batches of 100 with the event loop turning between batches, while the periodic reader exports
 * every 250 ms to a local OTLP/HTTP receiver (the export really runs, serialising and sending, during the
 * measurement). Reported:
 * - the CPU (and wall) time spent in `record` per request: what measuring pays; the target holds for both;
 * - the process's CPU per request over the whole loop, exports included: what the export costs the machine.
 * Runnable alone: `npx tsx src-main/bench/otlp.ts` (BENCH_OTLP_REQUESTS changes the count).
 */

export interface OtlpCost {
  requests: number;
  /** Process CPU spent inside `record`, per request: what measuring pays, whatever else the machine runs. */
  recordMicrosPerRequest: number;
  /** Wall time inside `record`, per request (includes time the process was not scheduled on a busy machine). */
  recordWallMicrosPerRequest: number;
  /** Process CPU (user + system) over the loop, exports included, per request. */
  cpuMicrosPerRequest: number;
  exportsSucceeded: number;
  exportsFailed: number;
  /** Requests the receiver's last export counted in gen_ai.client.operation.duration (all of them, when nothing is lost). */
  receivedRequests: number;
}

const TARGET_MICROS = 100;
const BATCH = 100;
/** Often enough that many exports run during the loop; each export may take as long (the timeout is kept within it). */
const EXPORT_INTERVAL_MS = 250;

/** Twelve routes (models × regions × route kinds), one in twenty requests throttled: the series a monitor keeps. */
function sampleRows(): SampleRow[] {
  const models = ['anthropic.claude-3-haiku-20240307-v1:0', 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'amazon.nova-micro-v1:0'];
  const regions = ['us-east-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2'];
  return Array.from({ length: 240 }, (_, index) => {
    const throttled = index % 20 === 0;
    return {
      runId: 'bench',
      at: 1_700_000_001_000 + index,
      target: cycle(models, index),
      modelId: cycle(models, index),
      routeKey: `${cycle(models, index)}@${cycle(regions, index)}`,
      region: cycle(regions, index),
      invokeId: cycle(models, index),
      kind: index % 3 === 0 ? 'geo-profile' : 'on-demand',
      errorClass: throttled ? 'throttled' : null,
      ttftMs: throttled ? null : 180 + (index % 50) * 7,
      e2eMs: throttled ? null : 600 + (index % 90) * 13,
      interTokenMs: throttled ? null : 12,
      outputTokens: throttled ? null : 20 + (index % 200),
      serverLatencyMs: null,
      largestGapMs: null,
      reusedSocket: true,
      requestId: null,
      sentAt: 1_700_000_000_000 + index,
    };
  });
}

export async function measureOtlpCostPerRequest({ requests = 200_000 }: { requests?: number } = {}): Promise<OtlpCost> {
  const receiver = await startOtlpReceiver();
  const sink = createOtlpSink({ vantage: 'bench', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, exportIntervalMs: EXPORT_INTERVAL_MS });
  try {
    const rows = sampleRows();
    const batches = Array.from({ length: rows.length / BATCH }, (_, index) => rows.slice(index * BATCH, (index + 1) * BATCH));
    let recordMs = 0;
    let recordCpuMicros = 0;
    const cpuBefore = process.cpuUsage();
    for (let done = 0, index = 0; done < requests; index++) {
      const batch = cycle(batches, index).slice(0, Math.min(BATCH, requests - done));
      const started = performance.now();
      const startedCpu = process.cpuUsage();
      sink.record(batch);
      const spent = process.cpuUsage(startedCpu);
      recordMs += performance.now() - started;
      recordCpuMicros += spent.user + spent.system;
      done += batch.length;
      await nextTurn(); // the reader's timer and the export's I/O get their turn, as between a monitor's requests
    }
    await sink.flush();
    const cpu = process.cpuUsage(cpuBefore);
    const status = sink.status();
    const received = receiver.latest('gen_ai.client.operation.duration')?.dataPoints.reduce((sum, point) => sum + (point.count ?? 0), 0) ?? 0;
    return {
      requests,
      recordMicrosPerRequest: recordCpuMicros / requests,
      recordWallMicrosPerRequest: (recordMs * 1000) / requests,
      cpuMicrosPerRequest: (cpu.user + cpu.system) / requests,
      exportsSucceeded: status.exportsSucceeded,
      exportsFailed: status.exportsFailed,
      receivedRequests: received,
    };
  } finally {
    await sink.close();
    await receiver.close();
  }
}

/** The bench's lines, for this file alone and for `npm run bench:fleet`. */
export function otlpCostLines(cost: OtlpCost): string[] {
  const verdict = Math.max(cost.recordMicrosPerRequest, cost.recordWallMicrosPerRequest) <= TARGET_MICROS ? 'PASS' : 'FAIL';
  return [
    `OTLP export, ${cost.requests} requests recorded while exporting every ${EXPORT_INTERVAL_MS} ms to a local receiver (${cost.exportsSucceeded} exports, ${cost.exportsFailed} failed; the receiver counted ${cost.receivedRequests} requests)`,
    `  cost per recorded request: ${cost.recordMicrosPerRequest.toFixed(2)} µs of CPU in record (${cost.recordWallMicrosPerRequest.toFixed(2)} µs wall)  target ≤ ${TARGET_MICROS} µs: ${verdict}`,
    `  process CPU per request, exports included: ${cost.cpuMicrosPerRequest.toFixed(2)} µs`,
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const requests = Number(process.env.BENCH_OTLP_REQUESTS ?? 200_000);
  for (const line of otlpCostLines(await measureOtlpCostPerRequest({ requests }))) console.log(line);
}
