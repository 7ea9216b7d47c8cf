import type { CatalogDocument } from '../../src-shared/catalog/document';
import type { HistoryRun } from '../../src-shared/contract/latency';
import { describeTarget } from './run-options';

/** The matrix overlay's figures: the latest measured p50 TTFT per model and region, and its colours. */

export interface MeasuredCell {
  modelId: string;
  region: string;
  ttftP50Ms: number;
}

/** A sequential single-hue scale (lightness carries the order, so it reads under every colour-vision deficiency). */
export const TTFT_BANDS = [
  { below: 300, label: '< 300 ms', color: '#deebf7', ink: '#08306b' },
  { below: 500, label: '300–500', color: '#9ecae1', ink: '#08306b' },
  { below: 800, label: '500–800', color: '#4292c6', ink: '#ffffff' },
  { below: 1500, label: '800–1500', color: '#08519c', ink: '#ffffff' },
  { below: Infinity, label: '≥ 1500 ms', color: '#08306b', ink: '#ffffff' },
] as const;

export const bandOf = (ms: number) => TTFT_BANDS.find((band) => ms < band.below)!;

/**
 * Runs come newest first; the first figure seen for a model and region is its latest. A run's target may be a
 * name or a profile: it counts for the model it resolves to. A compared route (`<region> <invokeId>`) counts for
 * its region only when the region's own route was not measured in that run.
 */
export function measuredTtftByCell(document: CatalogDocument, runs: HistoryRun[]): MeasuredCell[] {
  const cells = new Map<string, MeasuredCell>();
  for (const run of runs) {
    if (run.kind !== 'latency' || !run.target) continue;
    const modelId = describeTarget(document, run.target)?.modelId;
    if (!modelId) continue;
    const keys = Object.keys(run.regions).sort((a, b) => a.split(' ').length - b.split(' ').length);
    for (const key of keys) {
      const ttft = run.regions[key]?.ttftMs;
      const [region = key] = key.split(' ');
      const cell = `${modelId}|${region}`;
      if (!ttft || cells.has(cell)) continue;
      cells.set(cell, { modelId, region, ttftP50Ms: ttft.p50 });
    }
  }
  return [...cells.values()];
}

const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;

/** The figure written in a cell: 11 px, the smallest size the page uses for text anyone must read. */
export const OVERLAY_FIGURE_PX = 11;

/** One rule per measured cell, matched by the cell's own data attributes; the figure is written in the cell. */
export function overlayCss(cells: MeasuredCell[]): string {
  return cells
    .map(({ modelId, region, ttftP50Ms }) => {
      const band = bandOf(ttftP50Ms);
      const selector = `.cell[data-model=${quoted(modelId)}][data-region=${quoted(region)}]`;
      return `${selector}{background:${band.color}!important;color:${band.ink}!important}${selector}::after{content:${quoted(String(Math.round(ttftP50Ms)))};position:absolute;right:1px;bottom:1px;font-size:${OVERLAY_FIGURE_PX}px;font-weight:600;line-height:1}`;
    })
    .join('\n');
}
