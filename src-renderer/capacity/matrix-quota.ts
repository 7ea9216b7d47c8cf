import type { CatalogDocument } from '../../src-shared/catalog/document';
import { bestRegions } from '../../src-shared/catalog/queries';
import type { QuotaRouteKind, QuotaSection } from '../../src-shared/catalog/quotas';
import { formatCompact, formatCount } from './format';
import { quotaInForce } from './QuotaTable';

/**
 * The matrix's "Quota" overlay, as data: for each cell (a model, a region) the tokens-per-minute quota of the best
 * route from that region (the first of the catalog's `bestRegions` called from the region itself that has a
 * tokens-per-minute quota: on demand, then geo profiles, then global ones), on a sequential scale; a cell with
 * something to call but no such quota is "no quota found"; a region whose quotas failed is marked as such. A cell
 * with nothing to call from its region is left as the matrix draws it ("not offered").
 */

export type QuotaCell =
  | {
      modelId: string;
      region: string;
      verdict: 'quota';
      tokensPerMinute: number;
      invokeId: string;
      routeKind: QuotaRouteKind;
      isDefault: boolean;
      /** Set when the region's latest read failed and the figure is the one last read then. */
      lastKnownAt?: string;
    }
  | { modelId: string; region: string; verdict: 'no-quota' }
  | { modelId: string; region: string; verdict: 'failed'; reason: string };

/** Lightness carries the order (a single green hue, apart from the TTFT overlay's blues); the ink keeps 4.5:1. */
export const QUOTA_BANDS = [
  { below: 300_000, label: '< 300k', color: '#edf8fb', ink: '#00441b' },
  { below: 1_000_000, label: '300k–1M', color: '#b2e2e2', ink: '#00441b' },
  { below: 4_000_000, label: '1M–4M', color: '#66c2a4', ink: '#00441b' },
  { below: 20_000_000, label: '4M–20M', color: '#1f8042', ink: '#ffffff' },
  { below: Infinity, label: '≥ 20M', color: '#00441b', ink: '#ffffff' },
] as const;

export const quotaBandOf = (tokensPerMinute: number) => QUOTA_BANDS.find((band) => tokensPerMinute < band.below)!;

/** The glyphs of the cells without a figure: drawn where the figure would be, so the colour is never the only carrier. */
export const QUOTA_MARKS = {
  'no-quota': { glyph: '∅', label: 'no tokens/min quota found' },
  failed: { glyph: '⚠', label: 'quotas could not be read' },
} as const;

const KIND_WORDS: Record<QuotaRouteKind, string> = { 'on-demand': 'on demand', 'geo-profile': 'geo profile', 'global-profile': 'global profile' };

export function quotaCells(document: CatalogDocument, quotas: Pick<QuotaSection, 'regions'>, modelIds: readonly string[], regions: readonly string[]): QuotaCell[] {
  const cells: QuotaCell[] = [];
  for (const modelId of new Set(modelIds)) {
    if (!Object.hasOwn(document.models, modelId)) continue;
    for (const region of regions) {
      const routes = bestRegions(document, modelId, region).filter((route) => route.callRegion === region);
      if (routes.length === 0) continue;
      const status = Object.hasOwn(quotas.regions, region) ? quotas.regions[region] : undefined;
      if (!status) continue;
      const reason = status.error ? `${status.error.code}: ${status.error.message}` : 'Service Quotas did not answer';
      if (status.status === 'error' && !status.lastKnownAt) {
        cells.push({ modelId, region, verdict: 'failed', reason });
        continue;
      }
      const best = routes
        .map((route) => {
          // A model's own quota, not a variant's ("1M Context Length"), stands for the route.
          const entries = status.routes.filter((entry) => entry.invokeId === route.invokeId && quotaInForce(entry.tokensPerMinute) !== null);
          const entry = entries.find((candidate) => !candidate.variant) ?? entries[0];
          return entry ? { route, entry } : null;
        })
        .find((found) => found !== null);
      if (!best) {
        cells.push(status.status === 'error' ? { modelId, region, verdict: 'failed', reason } : { modelId, region, verdict: 'no-quota' });
        continue;
      }
      const quota = best.entry.tokensPerMinute!;
      cells.push({
        modelId,
        region,
        verdict: 'quota',
        tokensPerMinute: quotaInForce(quota)!,
        invokeId: best.route.invokeId,
        routeKind: best.route.kind,
        isDefault: quota.applied === null,
        ...(status.status === 'error' && status.lastKnownAt ? { lastKnownAt: status.lastKnownAt } : {}),
      });
    }
  }
  return cells;
}

/** The line the cell's tooltip adds while the overlay is on: which route the figure is of. */
export function describeQuotaCell(cell: QuotaCell): string {
  if (cell.verdict === 'no-quota') return 'Quota overlay: no tokens-per-minute quota found for any route from this region.';
  if (cell.verdict === 'failed') return `Quota overlay: quotas could not be read here (${cell.reason}).`;
  const stale = cell.lastKnownAt ? ` Last known: the latest read failed; read ${new Date(cell.lastKnownAt).toLocaleString()}.` : '';
  return `Quota overlay: ${formatCount(cell.tokensPerMinute)} tokens per minute${cell.isDefault ? " (AWS's default)" : ''} through ${cell.invokeId} (${KIND_WORDS[cell.routeKind]}).${stale}`;
}

const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;

/** The figure's size: the TTFT overlay's, the smallest the page uses for text anyone must read. */
const FIGURE_PX = 11;

/** One rule per cell, matched by the cell's own data attributes (the grid does not re-render). */
export function quotaOverlayCss(cells: readonly QuotaCell[]): string {
  return cells
    .map((cell) => {
      const selector = `.cell[data-model=${quoted(cell.modelId)}][data-region=${quoted(cell.region)}]`;
      const figure = (text: string, ink: string) =>
        `${selector}::after{content:${quoted(text)};position:absolute;right:1px;bottom:1px;font-size:${FIGURE_PX}px;font-weight:600;letter-spacing:-0.4px;line-height:1;color:${ink}}`;
      if (cell.verdict === 'quota') {
        const band = quotaBandOf(cell.tokensPerMinute);
        const stale = cell.lastKnownAt ? ';outline:2px dashed var(--bad);outline-offset:-2px' : '';
        return `${selector}{background:${band.color}!important;color:${band.ink}!important${stale}}${figure(formatCompact(cell.tokensPerMinute), band.ink)}`;
      }
      return `${selector}{outline:1px dashed var(--muted);outline-offset:-3px}${figure(QUOTA_MARKS[cell.verdict].glyph, 'var(--text)')}`;
    })
    .join('\n');
}
