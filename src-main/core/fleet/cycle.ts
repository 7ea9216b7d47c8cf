import type { ProbeSampleRow, RunRow, SampleRow } from '../latency/history-store';

/**
 * What one monitor cycle measured, as every fleet sink (the Parquet store, OTLP) takes it. The rows are the
 * history's own, so a cycle stored in the team's store reads back like a run in the local history, plus where it
 * was measured from.
 */
export interface FleetCycle {
  /** Globally unique (two monitors with one vantage name never share one): the store names its parts by it. */
  runId: string;
  /** The vantage point's name: where the requests were sent from. */
  vantage: string;
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number;
  /** The run as the history keeps it; its `report` carries the cycle's settings. */
  run: RunRow;
  samples: SampleRow[];
  probes: ProbeSampleRow[];
}

/** How a sink is doing, for the monitor's cycle log line and `--check`. Counts only: never a secret. */
export interface FleetSinkStatus {
  name: string;
  written: number;
  /** Cycles waiting to be sent again (a spool), and parts dropped because the spool was full. */
  pending: number;
  dropped: number;
  lastError: string | null;
}

/**
 * Where a cycle's measurements go. `write` never throws for a sink that is away (S3 down, an OTLP endpoint gone):
 * it keeps what it can and says so in its status; measuring never waits on it beyond its own bound.
 */
export interface FleetSink {
  readonly name: string;
  write(cycle: FleetCycle): Promise<void>;
  /** Sends what is pending (a spool, a batch of metrics), bounded by the signal. */
  flush(signal?: AbortSignal): Promise<void>;
  status(): FleetSinkStatus;
  close(): Promise<void>;
}
