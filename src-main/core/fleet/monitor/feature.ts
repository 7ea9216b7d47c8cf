import type { CatalogDocument } from '../../../../src-shared/catalog/document';
import type { LatencyRunReport, ParsedLatencyRunInput, ProbeReport } from '../../../../src-shared/contract';
import { awsFeature } from '../../app/aws-feature';
import { defineFeature } from '../../app/feature';
import { catalogFeature } from '../../catalog/feature';
import type { PriceLookup } from '../../latency/cost';
import { LatencyHistory, type ProbeSampleRow, type RunRow, type SampleRow } from '../../latency/history-store';
import type { PlannedRoute } from '../../latency/plan';
import { probeNetwork } from '../../latency/probe';
import { runLatency } from '../../latency/run';
import { pricesFeature } from '../../prices/feature';
import { historyFeature } from '../../storage/history-feature';

/**
 * What the monitor measures with: the latency lab's own run and probe, over the core's client pool, catalog, price
 * table and history, so a monitor's samples are the lab's samples. Each run is kept in the local history as the lab
 * keeps it, and its rows are handed back as the history received them, for the fleet's sinks.
 */

/** One run as the history holds it: the run row and every sample of it. */
export interface MeasuredRun {
  run: RunRow;
  samples: SampleRow[];
  probes: ProbeSampleRow[];
}

export interface FleetMeasurer {
  /** The catalog in force (cache, a scan, or the bundled document). */
  catalog(): Promise<CatalogDocument>;
  prices(): Promise<PriceLookup>;
  /** Why the credentials cannot call a region (a short-term API key works in its own region only), or null. */
  refusals(): Promise<(region: string) => { code: string; message: string } | null>;
  /** A lab run over planned routes. `stopSending` lets the requests in flight finish; `signal` aborts them. */
  latency(input: ParsedLatencyRunInput, routes: PlannedRoute[], control: { signal: AbortSignal; stopSending: AbortSignal }): Promise<MeasuredRun & { report: LatencyRunReport }>;
  probe(regions: readonly string[], samples: number, control: { signal: AbortSignal; stopSending: AbortSignal }): Promise<MeasuredRun & { report: ProbeReport }>;
}

/**
 * The history as the lab writes to it, keeping a copy of each run's rows as they pass: the fleet's sinks get exactly
 * what the history got, whether or not the local file could store it.
 */
class RecordingHistory extends LatencyHistory {
  private readonly samplesOf = new Map<string, SampleRow[]>();
  private readonly probesOf = new Map<string, ProbeSampleRow[]>();
  private readonly savedRuns = new Map<string, RunRow>();

  override addSamples(rows: SampleRow[]): void {
    for (const row of rows) this.samplesOf.set(row.runId, [...(this.samplesOf.get(row.runId) ?? []), row]);
    super.addSamples(rows);
  }

  override addProbeSamples(rows: ProbeSampleRow[]): void {
    for (const row of rows) this.probesOf.set(row.runId, [...(this.probesOf.get(row.runId) ?? []), row]);
    super.addProbeSamples(rows);
  }

  override saveRun(run: RunRow): Promise<boolean> {
    this.savedRuns.set(run.id, run);
    return super.saveRun(run);
  }

  /** The run's rows, handed over once (a long-lived monitor keeps no run in memory after its cycle). */
  take(runId: string): MeasuredRun {
    const run = this.savedRuns.get(runId);
    if (!run) throw new Error(`Run ${runId} was not saved`);
    const measured = { run, samples: this.samplesOf.get(runId) ?? [], probes: this.probesOf.get(runId) ?? [] };
    this.savedRuns.delete(runId);
    this.samplesOf.delete(runId);
    this.probesOf.delete(runId);
    return measured;
  }
}

export const monitorFeature = defineFeature({
  name: 'monitor',
  dependsOn: { aws: awsFeature, catalog: catalogFeature, history: historyFeature, prices: pricesFeature },
  create: ({ settings, log }, { aws: clients, catalog, history: historyAccess, prices }) => {
    const history = new RecordingHistory(() => historyAccess.database(), () => settings().historyLimit, log);
    const live = new Set<AbortController>();
    /** The caller's signal, also aborted when the core closes. */
    const tracked = async <T>(signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
      const abort = new AbortController();
      const forward = () => abort.abort();
      if (signal.aborted) abort.abort();
      signal.addEventListener('abort', forward, { once: true });
      live.add(abort);
      try {
        return await work(abort.signal);
      } finally {
        live.delete(abort);
        signal.removeEventListener('abort', forward);
      }
    };
    const measurer: FleetMeasurer = {
      catalog: async () => (await catalog.get()).document,
      prices: () => prices.now(),
      refusals: () => clients.apiKeyRefusals(),
      latency: (input, routes, { signal, stopSending }) =>
        tracked(signal, async (aborted) => {
          const report = await runLatency(input, routes, { signal: aborted, emit: async () => {} }, { clients, history, prices: () => prices.now(), stopSending });
          return { ...history.take(report.id), report };
        }),
      probe: (regions, samples, { signal, stopSending }) =>
        tracked(signal, async (aborted) => {
          const report = await probeNetwork({ regions, samples }, { signal: aborted, emit: async () => {} }, { clients, history, stopSending });
          return { ...history.take(report.id), report };
        }),
    };
    return {
      exports: measurer,
      dispose: () => {
        for (const abort of live) abort.abort();
      },
    };
  },
});
