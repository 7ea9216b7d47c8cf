// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RankedRoute } from '../../src-shared/contract';
import type { HistoryRun, LatencyStats } from '../../src-shared/contract/latency';
import { createFleetWork } from '../fleet/fleet-work';
import { NO_STORE } from '../fleet/fleet-fixtures';
import { useVantageChoice } from '../fleet/use-fleet';
import { BestRoutes } from '../matrix/BestRoutes';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, SMALL_CATALOG } from '../testing/small-catalog';
import { overlayCss, OVERLAY_FIGURE_PX } from './matrix-overlay';
import { MatrixTtftOverlay } from './MatrixTtftOverlay';

afterEach(cleanup);

const stats = (p50: number): LatencyStats => ({ p50, p90: p50, p99: p50, mean: p50, min: p50, max: p50, stddev: 0 });
// The latest run measured 386 ms; over the last 30 days the route's p50 is 355 ms over 24 samples.
const latestRun: HistoryRun = {
  id: 'r2',
  kind: 'latency',
  startedAt: '2026-11-23T01:00:00.000Z',
  target: HAIKU,
  status: 'completed',
  regions: { 'us-east-1': { samples: 8, ttftMs: stats(386), e2eMs: null, outputTokensPerSecond: null } },
};
const routes: RankedRoute[] = [
  { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand', reason: 'on demand here', measured: { ttftP50Ms: 355, samples: 24, measuredAt: '2026-11-23T01:00:00.000Z' } } as RankedRoute,
];

/** The matrix holds which figure overlay is on; here the overlay alone, switched by its own button. */
function ToggledTtftOverlay() {
  const [on, setOn] = useState(false);
  const [work] = useState(createFleetWork);
  return <MatrixTtftOverlay document={SMALL_CATALOG} on={on} onToggle={setOn} from={useVantageChoice(work)} />;
}

describe('the TTFT overlay and the cell panel show one figure with one label (issue 21 §11)', () => {
  it('the overlay writes in the cell the cell panel’s figure, not the latest run’s', async () => {
    const { wrapper, calls } = fakeClient({ latencyHistory: async () => ({ runs: [latestRun] }), bestRegions: async () => routes, fleetStatus: async () => NO_STORE });
    const { container } = render(
      <>
        <ToggledTtftOverlay />
        <BestRoutes modelId={HAIKU} region="us-east-1" />
      </>,
      { wrapper },
    );
    fireEvent.click(screen.getByRole('button', { name: 'TTFT overlay' }));
    await waitFor(() => expect(screen.getByTestId('ttft-overlay-legend').textContent).toMatch(/^Time to first token p50, last 30 days \(1 cells measured\)/));
    const css = container.querySelector('style')?.textContent ?? '';
    expect(css).toContain('content:"355"');
    expect(css).not.toContain('386');
    const panel = screen.getByTestId('route-measurement').textContent;
    expect(panel).toMatch(/^time to first token p50 355 ms, last 30 days · 24 samples/);
    expect(panel).toContain('the figure in this cell on the matrix’s TTFT overlay');
    // The overlay asked the history for the last 30 days only.
    expect(calls.find((call) => call.method === 'latencyHistory')?.input).toMatchObject({ since: '30d' });
  });

  it('writes its figure at 11 px, not 9 (issue 21 §16)', () => {
    expect(OVERLAY_FIGURE_PX).toBeGreaterThanOrEqual(11);
    expect(overlayCss([{ modelId: HAIKU, region: 'us-east-1', ttftP50Ms: 355 }])).toContain(`font-size:${OVERLAY_FIGURE_PX}px`);
  });
});
