import type { LatencyRunChunk, LatencyRunReport, ProbeChunk, ProbeReport } from '../../src-shared/contract/latency';
import { LiveStream, keyedFold } from '../api/live-stream';
import { Cell } from '../app/cell';
import type { RunFigures } from './figures';
import type { RunOptions } from './run-options';

/**
 * What the latency lab keeps while the page is away: the run and the network probe (their progress keeps
 * arriving), the figures of the last run that ended, and the form that started it.
 */

export type LatencyRun = LiveStream<LatencyRunChunk, LatencyRunReport, Record<string, LatencyRunChunk>>;

export type NetworkProbe = LiveStream<ProbeChunk, ProbeReport, Record<string, ProbeChunk>>;

/** The lab measures a route at a fixed concurrency (latency), or level by level under growing load. */
export type LabMode = 'latency' | 'load';

export interface LatencyWork {
  mode: Cell<LabMode>;
  run: LatencyRun;
  probe: NetworkProbe;
  /** null until the page first opens with a catalog (the default target comes from it). */
  options: Cell<RunOptions | null>;
  figures: Cell<{ run: RunFigures; target: string } | null>;
  notice: Cell<string | null>;
}

export function createLatencyWork(): LatencyWork {
  return {
    mode: new Cell<LabMode>('latency'),
    run: new LiveStream(keyedFold<LatencyRunChunk>((chunk) => chunk.key)),
    probe: new LiveStream(keyedFold<ProbeChunk>((chunk) => chunk.region)),
    options: new Cell<RunOptions | null>(null),
    figures: new Cell<{ run: RunFigures; target: string } | null>(null),
    notice: new Cell<string | null>(null),
  };
}
