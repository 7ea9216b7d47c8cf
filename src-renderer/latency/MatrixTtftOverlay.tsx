import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { LOCAL_VANTAGE } from '../../src-shared/contract/vantage';
import { useAtlas } from '../api/atlas-context';
import { vantageInput, vantageLabel, type VantageChoiceState } from '../fleet/use-fleet';
import { VantageSelect } from '../fleet/VantageSelect';
import { bestRegionsQuery } from '../fleet/vantage-read';
import { cellFigure, MEASURED_LABEL } from '../matrix/route-text';
import './matrix-overlay.css';
import { measuredTtftByCell, overlayCss, TTFT_BANDS, type MeasuredCell } from './matrix-overlay';

/** Cell panels asked at once: the overlay asks one per measured cell, and a long history measured many. */
const PARALLEL_ASKS = 6;

/**
 * The matrix's "TTFT" toggle: colours each cell the latency lab has measured, and writes the figure in the cell, so
 * the colour is never the only carrier. The figure is the cell panel's own (the same `bestRegions` answer, shared
 * through the query cache): p50 over the last 30 days of the first measured route from that region, never a
 * different number such as the latest run's. The cells already name their model and region (data attributes), so
 * the overlay is a stylesheet over them: the grid itself does not change or re-render. It takes turns with the
 * Quota overlay (both write their figure in the same corner): the matrix holds which one is on. With team data, a
 * "from" choice beside the toggle (the latency lab's own) colours the cells by a vantage's measurements instead.
 */
export function MatrixTtftOverlay({ document, on, onToggle, from }: { document: CatalogDocument; on: boolean; onToggle(on: boolean): void; from: VantageChoiceState }) {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  const read = { vantage: from.vantage, stamp: from.stamp };
  const history = useQuery({
    queryKey: ['latencyHistory', 'overlay', read.vantage, read.stamp],
    queryFn: () => api.latencyHistory({ since: '30d', limit: 1000, ...vantageInput(read.vantage) }),
    enabled: on,
  });
  // The cells the history measured: only these are asked for their panel's figure.
  const candidates = useMemo(() => measuredTtftByCell(document, history.data?.runs ?? []), [document, history.data]);
  const figures = useQuery({
    queryKey: ['latencyOverlayFigures', read.vantage, read.stamp, candidates.map((cell) => `${cell.modelId}|${cell.region}`)],
    enabled: on && history.isSuccess,
    queryFn: async () => {
      const found: MeasuredCell[] = [];
      const queue = [...candidates];
      const ask = async () => {
        for (let cell = queue.shift(); cell; cell = queue.shift()) {
          const { modelId, region } = cell;
          const routes = await queryClient.fetchQuery(bestRegionsQuery(api, modelId, region, read));
          const figure = cellFigure(routes, region);
          if (figure) found.push({ modelId, region, ttftP50Ms: figure.ttftP50Ms });
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_ASKS, queue.length) }, ask));
      return found;
    },
  });
  const cells = figures.data ?? [];
  const pending = history.isPending || (candidates.length > 0 && figures.isPending);

  return (
    <>
      <button type="button" className="ttft-toggle" aria-pressed={on} aria-label="TTFT overlay" onClick={() => onToggle(!on)} title="TTFT overlay: colour the cells by the latency lab's measured p50 time to first token over the last 30 days">
        TTFT
      </button>
      {on ? (
        <>
          <style>{overlayCss(cells)}</style>
          {/* The "from" choice opens the legend (the toolbar is full at 1280 px): next in the tab order after the toggle. */}
          <div className="ttft-overlay-legend">
            {from.team.length > 0 ? <VantageSelect value={from.vantage} onChange={from.setVantage} team={from.team} label="TTFT from" /> : null}
            <span className="ttft-overlay-reading" role="status" data-testid="ttft-overlay-legend">
              {cells.length === 0 ? (
                pending ? (
                  'Loading measurements…'
                ) : from.vantage === LOCAL_VANTAGE ? (
                  <>
                    No cell measured in the last 30 days: <a href="#/latency">run the latency lab</a>.
                  </>
                ) : (
                  `No cell measured from ${vantageLabel(from.vantage)} in the last 30 days.`
                )
              ) : (
                <>
                  <span>
                    {MEASURED_LABEL[0]!.toUpperCase()}
                    {MEASURED_LABEL.slice(1)}
                    {from.vantage === LOCAL_VANTAGE ? '' : `, from ${vantageLabel(from.vantage)}`} ({cells.length} cells measured):
                  </span>
                  {TTFT_BANDS.map((band) => (
                    <span key={band.label} className="ttft-band">
                      <span className="ttft-swatch" style={{ background: band.color }} aria-hidden /> {band.label}
                    </span>
                  ))}
                </>
              )}
            </span>
          </div>
        </>
      ) : null}
    </>
  );
}
