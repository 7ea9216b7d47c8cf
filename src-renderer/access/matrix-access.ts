import type { CatalogDocument, ModelAccess } from '../../src-shared/catalog/document';
import { isKeyBoundRegion, keyBoundCause } from '../../src-shared/api-key-regions';
import { cellState, isCallable } from '../matrix/cell-kind';

/**
 * The matrix's "Check my access" overlay, as data: which cells of the rows shown to ask about (one
 * `getModelAccess` per model, with every region where the matrix says the model is callable), and what the cheap
 * checks say of each cell: offered (the catalog document), account access (GetFoundationModelAvailability, through
 * the catalog's access cache) and lifecycle (the catalog's). IAM is never asked here: that is Check access, per cell,
 * when the user asks. The judgments are the access doctor's own for the same answers, so the overlay and the cell
 * panel's Check access never disagree about a cell.
 */

/** What the overlay marks; a cell the caller can use is not marked. */
export type CellAccessVerdict = 'blocked' | 'key-bound' | 'at-risk' | 'unknown';

export interface AccessAsk {
  modelId: string;
  regions: string[];
}

export interface JudgedCell {
  modelId: string;
  region: string;
  verdict: CellAccessVerdict;
  /** Why, in the doctor's words. */
  reason: string;
}

/** Scanned regions where the cell is callable (on demand or through a profile): the only cells worth asking about. */
function callableRegions(document: CatalogDocument, modelId: string, regions: readonly string[]): string[] {
  return regions.filter((region) => document.regions[region]?.status === 'ok' && isCallable(cellState(document, modelId, region).kind));
}

/** One ask per model shown (never one per cell), for the regions where it is callable; models callable nowhere are not asked. */
export function accessAsks(document: CatalogDocument, modelIds: readonly string[], regions: readonly string[]): AccessAsk[] {
  return [...new Set(modelIds)]
    .filter((modelId) => Object.hasOwn(document.models, modelId))
    .map((modelId) => ({ modelId, regions: callableRegions(document, modelId, regions) }))
    .filter((ask) => ask.regions.length > 0);
}

/** The account-access answer of one callable cell, as the doctor's `account-access` check judges it. */
function judgeAccess(access: ModelAccess, onDemand: boolean): { verdict: CellAccessVerdict; reason: string } | null {
  switch (access.status) {
    case 'authorized':
      return null;
    case 'not_authorized':
      return { verdict: 'blocked', reason: 'your account is not authorized for this model here: request access in the Bedrock console' };
    case 'agreement_pending':
      return { verdict: 'blocked', reason: "the model's agreement is pending here: calls fail until the provider's first-use form is accepted" };
    case 'not_available':
      return onDemand
        ? { verdict: 'blocked', reason: 'not available to your account in this region' }
        : { verdict: 'at-risk', reason: 'not available in this region itself; the profile serves it from other regions' };
    case 'unknown':
      return { verdict: 'unknown', reason: access.message ?? 'Bedrock did not say whether your account may use it' };
  }
}

/**
 * The marked cells of the rows shown. A region a short-term API key cannot call is marked for every row without
 * asking anything; a region whose scan failed is left as the matrix draws it (unknown); a cell not yet answered is
 * left unmarked until its model's answer comes.
 */
export function judgeCells(
  document: CatalogDocument,
  modelIds: readonly string[],
  regions: readonly string[],
  answers: Readonly<Record<string, Readonly<Record<string, ModelAccess>>>>,
): JudgedCell[] {
  const judged: JudgedCell[] = [];
  for (const modelId of new Set(modelIds)) {
    const model = document.models[modelId];
    if (!model) continue;
    for (const region of regions) {
      const status = document.regions[region];
      if (status?.status === 'error' && isKeyBoundRegion(status.error)) {
        judged.push({ modelId, region, verdict: 'key-bound', reason: `not callable with this key: ${keyBoundCause(status.error?.message ?? '')}` });
        continue;
      }
      if (status?.status !== 'ok') continue;
      const kind = cellState(document, modelId, region).kind;
      if (!isCallable(kind)) continue;
      const access = answers[modelId]?.[region];
      if (!access) continue;
      const verdict =
        judgeAccess(access, kind === 'on-demand') ??
        (model.lifecycle === 'LEGACY'
          ? { verdict: 'at-risk' as const, reason: 'LEGACY: refused to an account that has not called it in recent weeks' }
          : model.lifecycle === 'ACTIVE'
            ? null
            : { verdict: 'unknown' as const, reason: `the catalog does not give its lifecycle (${model.lifecycle})` });
      if (verdict) judged.push({ modelId, region, ...verdict });
    }
  }
  return judged;
}

/** Colour and a glyph for each mark: the glyph is drawn in the cell, so colour is never the only carrier. */
export const ACCESS_MARKS: Record<CellAccessVerdict, { label: string; glyph: string; color: string; ink: string }> = {
  blocked: { label: 'you cannot call it (model access)', glyph: '✕', color: '#f8c9c4', ink: '#7a1610' },
  'key-bound': { label: 'not callable with this key', glyph: '⊘', color: '#ddd3f2', ink: '#3a2170' },
  'at-risk': { label: 'at risk (legacy, or served elsewhere)', glyph: '!', color: '#fbe3a6', ink: '#5c3d00' },
  unknown: { label: 'access unknown', glyph: '?', color: 'transparent', ink: 'inherit' },
};

export const ACCESS_VERDICTS: readonly CellAccessVerdict[] = ['blocked', 'key-bound', 'at-risk', 'unknown'];

const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;

/**
 * One rule per marked cell, matched by the cell's own data attributes (the grid does not re-render). The glyph goes
 * in the cell's top left corner, where the TTFT overlay's figure (bottom right) does not go, so both can be on.
 */
export function accessOverlayCss(cells: readonly JudgedCell[]): string {
  return cells
    .map(({ modelId, region, verdict }) => {
      const mark = ACCESS_MARKS[verdict];
      const selector = `.cell[data-model=${quoted(modelId)}][data-region=${quoted(region)}]`;
      const fill = verdict === 'unknown' ? `outline:1px dashed var(--muted);outline-offset:-3px` : `background:${mark.color}!important;color:${mark.ink}!important`;
      return `${selector}{${fill}}${selector}::before{content:${quoted(mark.glyph)};position:absolute;left:2px;top:1px;font-size:11px;font-weight:700;line-height:1;color:${mark.ink}}`;
    })
    .join('\n');
}

/** "3 cells you cannot call · 1 not callable with this key", in the legend's order; empty when nothing is marked. */
export function describeMarks(cells: readonly JudgedCell[]): string {
  return ACCESS_VERDICTS.map((verdict) => [verdict, cells.filter((cell) => cell.verdict === verdict).length] as const)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${count} ${ACCESS_MARKS[verdict].label}`)
    .join(' · ');
}
