import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { useAtlas } from '../api/atlas-context';
import './matrix-overlay.css';
import { measuredTtftByCell, overlayCss, TTFT_BANDS } from './matrix-overlay';

/**
 * The matrix's "TTFT" toggle: colours each cell the latency lab has measured by its latest p50 TTFT, and writes
 * the figure in the cell, so the colour is never the only carrier. The cells already name their model and region
 * (data attributes), so the overlay is a stylesheet over them: the grid itself does not change or re-render.
 */
export function MatrixTtftOverlay({ document }: { document: CatalogDocument }) {
  const { api } = useAtlas();
  const [on, setOn] = useState(false);
  const history = useQuery({ queryKey: ['latencyHistory', 'overlay'], queryFn: () => api.latencyHistory({ limit: 1000 }), enabled: on });
  const cells = useMemo(() => measuredTtftByCell(document, history.data?.runs ?? []), [document, history.data]);

  return (
    <>
      <button type="button" className="ttft-toggle" aria-pressed={on} aria-label="TTFT overlay" onClick={() => setOn(!on)} title="TTFT overlay: colour the cells by the latency lab's measured p50 time to first token">
        TTFT
      </button>
      {on ? (
        <>
          <style>{overlayCss(cells)}</style>
          <div className="ttft-overlay-legend" role="status" data-testid="ttft-overlay-legend">
            {cells.length === 0 ? (
              history.isPending ? (
                'Loading measurements…'
              ) : (
                <>
                  No cell measured yet: <a href="#/latency">run the latency lab</a>.
                </>
              )
            ) : (
              <>
                p50 TTFT ({cells.length} cells measured):
                {TTFT_BANDS.map((band) => (
                  <span key={band.label} className="ttft-band">
                    <span className="ttft-swatch" style={{ background: band.color }} aria-hidden /> {band.label}
                  </span>
                ))}
              </>
            )}
          </div>
        </>
      ) : null}
    </>
  );
}
