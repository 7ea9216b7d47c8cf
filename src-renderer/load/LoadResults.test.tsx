// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadRunView } from '../../src-shared/contract/load';
import { useChartTheme } from '../latency/charts/chart-theme';
import { fakeClient } from '../testing/fake-client';
import { level, loadView, QUOTA } from '../testing/load-fixtures';
import { HAIKU_45_US } from '../testing/small-catalog';
import { LoadResults } from './LoadResults';

afterEach(cleanup);

/** Attribution and CloudWatch never answer here: their sections have tests of their own. */
const pending = () => new Promise<never>(() => {});

function Results({ view }: { view: LoadRunView }) {
  return <LoadResults shown={{ view, cost: null }} theme={useChartTheme()} />;
}

function renderResults(view: LoadRunView) {
  const { wrapper, calls } = fakeClient({ attributionResults: pending, serverClientTime: pending });
  render(<Results view={view} />, { wrapper });
  return { calls, results: screen.getByTestId('load-results') };
}

describe('LoadResults', () => {
  it('names the knee and why, marks its row, and states the run’s load, SLO and unique prompts', () => {
    const { results, calls } = renderResults(loadView());
    expect(within(results).getByTestId('knee').textContent).toBe('us-east-1 Knee at level 3 (4 in flight): throttles 12.5 % of 40 requests (above 1 %).');
    const table = within(results).getByTestId('load-levels');
    const kneeRow = table.querySelector('tr[aria-current="true"]') as HTMLElement;
    expect(within(kneeRow).getByRole('rowheader').textContent).toBe('4 in flight' + 'knee');
    expect(within(kneeRow).getAllByRole('cell').map((cell) => cell.textContent)).toContain('5 (12.5 %)');
    expect(within(results).getByTestId('load-summary').textContent).toContain('closed loop: 1, 2, 4 requests in flight, 10 s a level');
    expect(within(results).getByTestId('load-summary').textContent).toContain('chat: TTFT ≤ 1000 ms, ITL ≤ 50 ms at p90');
    expect(within(results).getByTestId('unique-prompts').textContent).toBe('unique: a nonce before every prompt, so the prompt cache never answered one faster');
    expect(within(results).getByTestId('load-quota').textContent).toContain('about 2 requests per second');
    // Where it ran and server time are asked for this very run.
    expect(calls.filter((call) => call.method === 'attributionResults' || call.method === 'serverClientTime').map((call) => call.input)).toEqual([{ runId: 'load-1' }, { runId: 'load-1' }]);
  });

  it('draws the three curves of the route', () => {
    const { results } = renderResults(loadView());
    for (const chart of ['chart-load-latency', 'chart-load-throughput', 'chart-load-throttles']) expect(within(results).getByTestId(chart)).toBeTruthy();
    // The latency chart switches metric by its radio buttons.
    fireEvent.click(within(results).getByRole('radio', { name: 'E2E' }));
    expect(within(results).getByRole('heading', { name: 'E2E vs load' })).toBeTruthy();
  });

  it('a budget that stopped the run says so, and its partial level why; a late sender is marked', () => {
    const view = loadView({
      stopped: { reason: 'maxRequests', message: 'The budget of 45 requests was reached: sending stopped there.' },
      load: { mode: 'rate', levels: [1, 2], arrivals: 'poisson', seed: 1 },
      regions: {
        'us-east-1': {
          route: { invokeId: HAIKU_45_US, callRegion: 'us-east-1', kind: 'geo-profile' },
          levels: [
            level(0, { ratePerSecond: 1 }, { schedule: { arrivals: 'poisson', sent: 20, meanInterArrivalMs: 1000, intendedInterArrivalMs: 1000, lateSends: 3, p99LatenessMs: 40, maxLatenessMs: 41, fellBehind: true } }),
            level(1, { ratePerSecond: 2 }, { status: 'partial', stoppedBy: 'maxRequests', sent: 24 }),
          ],
          knee: null,
          quota: QUOTA,
        },
      },
    });
    const { results } = renderResults(view);
    expect(within(results).getByTestId('load-stopped').textContent).toBe('⚠ The budget of 45 requests was reached: sending stopped there.');
    const notes = within(results).getAllByTestId('level-note').map((note) => [note.closest('tr')?.dataset.level, note.textContent]);
    expect(notes).toEqual([
      ['0', 'fell behind schedule: 3 of 20 sends late, p99 40 ms late (latency counts from the scheduled time)'],
      ['1', 'partial: the request budget was reached'],
    ]);
    expect(within(results).getByTestId('knee').textContent).toContain('No knee through 2 req/s');
  });

  it('repeated prompts are said as a warning; several routes are picked one at a time; a failed route is named with its reason', () => {
    const base = loadView();
    const route = base.regions['us-east-1']!;
    const view = loadView({ uniquePrompts: false, regions: { 'us-east-1': route, 'us-west-2': { ...route, knee: null }, 'eu-west-1': { error: { code: 'ACCESS_DENIED', message: 'no access to the model in eu-west-1' } } } });
    const { results } = renderResults(view);
    expect(within(results).getByTestId('unique-prompts').className).toBe('lat-warn-text');
    expect(within(results).getAllByTestId('knee')).toHaveLength(2);
    expect(within(results).getByRole('list', { name: 'Routes that failed' }).textContent).toBe('eu-west-1 ACCESS_DENIED: no access to the model in eu-west-1');
    expect(within(results).getByTestId('load-route').dataset.route).toBe('us-east-1');
    fireEvent.click(within(results).getByRole('radio', { name: 'us-west-2' }));
    expect(within(results).getByTestId('load-route').dataset.route).toBe('us-west-2');
  });

  it('a run cancelled before any level finished says nothing was measured', () => {
    const { results } = renderResults(loadView({ status: 'cancelled', regions: {} }));
    expect(results.textContent).toContain('No route was measured before the run was cancelled.');
    expect(within(results).getByText('cancelled: finished levels kept')).toBeTruthy();
  });
});
