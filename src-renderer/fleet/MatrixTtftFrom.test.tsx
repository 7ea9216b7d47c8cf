// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RankedRoute } from '../../src-shared/contract';
import type { HistoryRun, LatencyStats } from '../../src-shared/contract/latency';
import { MatrixTtftOverlay } from '../latency/MatrixTtftOverlay';
import { BestRoutes } from '../matrix/BestRoutes';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, SMALL_CATALOG } from '../testing/small-catalog';
import { createFleetWork } from './fleet-work';
import { NO_STORE, SYNCED } from './fleet-fixtures';
import { useVantageChoice } from './use-fleet';

/** The matrix's TTFT overlay and the cell panel read the "from" choice: one figure, from the vantage picked. */

afterEach(cleanup);

const stats = (p50: number): LatencyStats => ({ p50, p90: p50, p99: p50, mean: p50, min: p50, max: p50, stddev: 0 });
const run = (vantage: string, p50: number): HistoryRun => ({
  id: `r-${vantage}`,
  kind: 'latency',
  startedAt: '2026-12-06T01:00:00.000Z',
  target: HAIKU,
  status: 'completed',
  vantage,
  regions: { 'us-east-1': { samples: 8, ttftMs: stats(p50), e2eMs: null, outputTokensPerSecond: null } },
});
const routes = (p50: number): RankedRoute[] => [{ invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand', destinations: ['us-east-1'], rank: 1, reason: 'on demand here', measured: { ttftP50Ms: p50, samples: 24, measuredAt: '2026-12-06T01:00:00.000Z' } }];

function setUp(status = SYNCED) {
  const fake = fakeClient({
    fleetStatus: async () => status,
    latencyHistory: async (input) => ((input as { vantage?: string }).vantage === 'ecs-us-west-2' ? { runs: [run('ecs-us-west-2', 301)] } : { runs: [run('local', 402)] }),
    bestRegions: async (input) => routes((input as { vantage?: string }).vantage === 'ecs-us-west-2' ? 299 : 405),
  });
  function Matrix() {
    const [on, setOn] = useState(false);
    const [work] = useState(createFleetWork);
    const from = useVantageChoice(work);
    return (
      <>
        <MatrixTtftOverlay document={SMALL_CATALOG} on={on} onToggle={setOn} from={from} />
        <BestRoutes modelId={HAIKU} region="us-east-1" from={{ vantage: from.vantage, stamp: from.stamp }} />
      </>
    );
  }
  const { container } = render(<Matrix />, { wrapper: fake.wrapper });
  return { ...fake, css: () => container.querySelector('style')?.textContent ?? '' };
}

describe('the TTFT overlay from a vantage', () => {
  it('offers "TTFT from" beside the toggle once on, and colours the cells and fills the panel from the vantage picked', async () => {
    const { calls, css } = setUp();
    fireEvent.click(screen.getByRole('button', { name: 'TTFT overlay' }));
    await waitFor(() => expect(css()).toContain('content:"405"'));
    const select = (await screen.findByLabelText('TTFT from')) as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'ecs-us-west-2' } });
    await waitFor(() => expect(css()).toContain('content:"299"'));
    expect(screen.getByTestId('ttft-overlay-legend').textContent).toMatch(/^Time to first token p50, last 30 days, from ecs-us-west-2 \(1 cells measured\)/);
    expect(calls.filter((call) => call.method === 'latencyHistory').at(-1)?.input).toEqual({ since: '30d', limit: 1000, vantage: 'ecs-us-west-2' });
    expect(calls.filter((call) => call.method === 'bestRegions').at(-1)?.input).toEqual({ modelId: HAIKU, fromRegion: 'us-east-1', vantage: 'ecs-us-west-2' });
    // The panel shows the same figure, and says whose it is.
    await waitFor(() => expect(screen.getByTestId('route-measurement').textContent).toMatch(/^time to first token p50 299 ms, last 30 days · 24 samples · measured .* · measured from ecs-us-west-2/));
  });

  it('without team data has no "from" to pick, and reads this machine as before', async () => {
    const { calls } = setUp(NO_STORE);
    fireEvent.click(screen.getByRole('button', { name: 'TTFT overlay' }));
    await waitFor(() => expect(screen.getByTestId('ttft-overlay-legend').textContent).toContain('1 cells measured'));
    expect(screen.queryByLabelText('TTFT from')).toBeNull();
    expect(calls.filter((call) => call.method === 'latencyHistory').at(-1)?.input).toEqual({ since: '30d', limit: 1000 });
  });
});
