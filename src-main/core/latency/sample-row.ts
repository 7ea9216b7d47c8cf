import type { SampleRow } from './history-store';
import type { FailedSample, MeasuredSample } from './measure-request';
import type { PlannedRoute } from './plan';

/**
 * One measured request as the history keeps it, the same for a lab run and a load run: its figures from its own
 * send (a load run keeps the intended send beside it), and Bedrock's request id, which attribution looks up.
 */
export function sampleRowOf(
  outcome: MeasuredSample | FailedSample,
  planned: PlannedRoute,
  run: { runId: string; target: string; at: number },
): SampleRow {
  return {
    runId: run.runId,
    at: run.at,
    target: run.target,
    modelId: planned.resolved.modelId,
    routeKey: planned.key,
    region: planned.route.callRegion,
    invokeId: planned.route.invokeId,
    kind: planned.route.kind,
    errorClass: outcome.ok ? null : outcome.errorClass,
    ttftMs: outcome.ok ? outcome.ttftMs : null,
    e2eMs: outcome.ok ? outcome.e2eMs : null,
    interTokenMs: outcome.ok ? outcome.interTokenMs : null,
    outputTokens: outcome.ok ? outcome.outputTokens : null,
    serverLatencyMs: outcome.ok ? outcome.serverLatencyMs : null,
    largestGapMs: outcome.ok ? outcome.largestGapMs : null,
    reusedSocket: outcome.reusedSocket,
    requestId: outcome.requestId,
    sentAt: outcome.sentAtEpochMs,
  };
}
