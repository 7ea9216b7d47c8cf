import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import type { CellNotes } from '../matrix/cell-notes';
import type { RowsShown } from '../matrix/rows-shown';
import { describeQuotaCell, QUOTA_BANDS, QUOTA_MARKS, quotaCells, quotaOverlayCss } from './matrix-quota';
import { useQuotas } from './use-figures';
import './matrix-quota.css';

/**
 * The matrix's "Quota" toggle: tokens per minute of the best route from each cell of the rows shown, on a
 * sequential scale with its legend, the figure written in the cell (2M, 400k) and the route named in the cell's
 * tooltip. One `getQuotas` for every region (the quota section of the catalog document); like the TTFT overlay it
 * is a stylesheet over the cells, and the two take turns (both write their figure in the same corner).
 */
export function MatrixQuotaOverlay({ document, regions, rowsShown, cellNotes, on, onToggle }: { document: CatalogDocument; regions: readonly string[]; rowsShown: RowsShown; cellNotes: CellNotes; on: boolean; onToggle(on: boolean): void }) {
  const quotas = useQuotas(null, undefined, on);
  const shown = useSyncExternalStore(rowsShown.subscribe, rowsShown.get);
  const cells = useMemo(() => (on && quotas.data ? quotaCells(document, quotas.data, shown, regions) : []), [on, quotas.data, document, shown, regions]);

  useEffect(() => {
    if (!on) return;
    const byCell = new Map(cells.map((cell) => [`${cell.modelId}|${cell.region}`, describeQuotaCell(cell)]));
    cellNotes.set((modelId, region) => byCell.get(`${modelId}|${region}`) ?? null);
    return () => cellNotes.set(null);
  }, [on, cells, cellNotes]);

  const counts = { quota: 0, 'no-quota': 0, failed: 0 };
  for (const cell of cells) counts[cell.verdict] += 1;
  const lastKnown = cells.filter((cell) => cell.verdict === 'quota' && cell.lastKnownAt).length;

  return (
    <>
      <button
        type="button"
        className="quota-toggle"
        aria-pressed={on}
        aria-label="Quota overlay"
        onClick={() => onToggle(!on)}
        title="Quota overlay: colour the cells by the tokens-per-minute quota of the best route from each region (Service Quotas, applied value)"
      >
        Quota
      </button>
      {on ? (
        <>
          <style>{quotaOverlayCss(cells)}</style>
          <div className="quota-overlay-legend" role="status" data-testid="quota-overlay-legend">
            {quotas.isError ? (
              <span>Quotas could not be read: {(quotas.error as Error).message}</span>
            ) : !quotas.data ? (
              'Reading quotas…'
            ) : quotas.data.fetchedAt === null ? (
              <span>
                No quotas fetched yet: <a href="#/capacity">refresh them on the Capacity page</a>.
              </span>
            ) : (
              <>
                <span data-testid="quota-overlay-summary">
                  Tokens per minute, best route from each cell ({counts.quota} with a quota
                  {counts['no-quota'] > 0 ? `, ${counts['no-quota']} ${QUOTA_MARKS['no-quota'].label}` : ''}
                  {counts.failed > 0 ? `, ${counts.failed} ${QUOTA_MARKS.failed.label}` : ''}):
                </span>
                {QUOTA_BANDS.map((band) => (
                  <span key={band.label} className="quota-band">
                    <span className="quota-swatch" style={{ background: band.color }} aria-hidden /> {band.label}
                  </span>
                ))}
                {Object.values(QUOTA_MARKS).map((mark) => (
                  <span key={mark.label} className="quota-band">
                    <span className="quota-swatch quota-swatch-mark" aria-hidden>
                      {mark.glyph}
                    </span>{' '}
                    {mark.label}
                  </span>
                ))}
                {lastKnown > 0 ? (
                  <span className="quota-band" data-testid="quota-overlay-last-known">
                    <span className="quota-swatch quota-swatch-stale" aria-hidden /> last known ({lastKnown}: the latest read failed)
                  </span>
                ) : null}
                <span className="muted">read {new Date(quotas.data.fetchedAt).toLocaleString()}</span>
              </>
            )}
          </div>
        </>
      ) : null}
    </>
  );
}
