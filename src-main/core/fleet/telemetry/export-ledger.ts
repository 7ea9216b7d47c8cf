import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];
/** `ExportResultCode.SUCCESS` of @opentelemetry/core (the SDK's own package, not a dependency of ours). */
const EXPORT_SUCCEEDED = 0;

export interface ExportCounts {
  /** Requests recorded since the sink started. */
  recorded: number;
  /** Requests whose figures reached the endpoint in an export it accepted. */
  delivered: number;
  /** Requests whose figures are lost: only with delta temporality, where a failed export's window is not sent again. */
  lost: number;
  exportsSucceeded: number;
  exportsFailed: number;
  lastError: string | null;
}

/**
 * Stands between the periodic reader and the OTLP exporter to count what each export carried and how it ended,
 * for the sink's status; the export itself is the exporter's. An export carries every request recorded before it
 * was collected: recording is synchronous, and the reader calls `export` in the same run of microtasks as its
 * collection, so no request is recorded in between. With cumulative temporality a failed export loses nothing (the
 * next one carries the totals); with delta its window is gone.
 */
export class ExportLedger implements PushMetricExporter {
  private readonly counts: ExportCounts = { recorded: 0, delivered: 0, lost: 0, exportsSucceeded: 0, exportsFailed: 0, lastError: null };
  /** Requests already carried by an earlier export's window (delta). */
  private windowStart = 0;

  constructor(
    private readonly exporter: Required<PushMetricExporter>,
    private readonly cumulative: boolean,
    private readonly onResult: (ok: boolean, error: string | null) => void,
    /** Makes an error's text safe to keep: it may quote the endpoint's answer, which may echo a header. */
    private readonly redact: (text: string) => string,
  ) {}

  countRecorded(requests: number): void {
    this.counts.recorded += requests;
  }

  snapshot(): ExportCounts {
    return { ...this.counts };
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const upTo = this.counts.recorded;
    const windowSize = upTo - this.windowStart;
    this.windowStart = upTo;
    this.exporter.export(metrics, (result) => {
      if (result.code === EXPORT_SUCCEEDED) {
        this.counts.exportsSucceeded++;
        this.counts.lastError = null;
        if (this.cumulative) this.counts.delivered = Math.max(this.counts.delivered, upTo);
        else this.counts.delivered += windowSize;
        this.onResult(true, null);
      } else {
        this.counts.exportsFailed++;
        if (!this.cumulative) this.counts.lost += windowSize;
        this.counts.lastError = this.redact((result.error?.message ?? 'the export failed').split('\n')[0] ?? '').slice(0, 300);
        this.onResult(false, this.counts.lastError);
      }
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  selectAggregationTemporality: Required<PushMetricExporter>['selectAggregationTemporality'] = (type) => this.exporter.selectAggregationTemporality(type);
  selectAggregation: Required<PushMetricExporter>['selectAggregation'] = (type) => this.exporter.selectAggregation(type);
}
