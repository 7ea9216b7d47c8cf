// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadEstimate, LoadProgress, LoadRunInput, LoadRunReport } from '../../src-shared/contract/load';
import { createLiveWork, LiveWorkProvider, type LiveWork } from '../app/live-work';
import { controlledStream, fakeClient } from '../testing/fake-client';
import { level, loadView, QUOTA } from '../testing/load-fixtures';
import { HAIKU, SMALL_SNAPSHOT } from '../testing/small-catalog';
import { LatencyPage } from './LatencyPage';

/**
 * The lab's Load mode on the page, against a fake client whose `runLoad` stream the test drives: the form becomes a
 * load run, progress shows level by level and outlives the page, Cancel keeps the finished levels.
 */

afterEach(cleanup);

const never = () => new Promise<never>(() => {});

const ESTIMATE: LoadEstimate = {
  requests: 120,
  warmupRequests: 1,
  inputTokens: 4200,
  outputTokens: 15_488,
  needsConfirmation: false,
  confirmationReasons: [],
  estimatedCostUsd: 0.021,
  routeCosts: { 'us-east-1': { usd: 0.021 } },
  priceTable: { asOf: '2026-11-01T00:00:00Z', fetchedAt: null, source: 'bundled', origin: null, products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } },
  simulated: true,
  routes: { 'us-east-1': { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' } },
  unavailable: {},
  prompt: { size: 'small', inputTokens: 35, countedBy: 'estimate' },
  requestsBasis: 'from an assumed 1 s a request at each concurrency',
  expectedDurationMs: 60_000,
  uniquePrompts: true,
  slo: null,
};

function setUp(estimate: LoadEstimate = ESTIMATE, work: LiveWork = createLiveWork()) {
  const stream = controlledStream<LoadRunInput, LoadProgress, LoadRunReport>();
  const fake = fakeClient(
    {
      getCatalog: () => Promise.resolve(SMALL_SNAPSHOT),
      estimateLoadRun: () => Promise.resolve(estimate),
      estimateLatencyRun: never,
      latencySeries: never,
      historyStatus: never,
      latencyHistory: never,
      rankRoutes: never,
      timeOfDay: never,
      attributionResults: never,
      serverClientTime: never,
    },
    { runLoad: stream.open },
  );
  const page = () => (
    <LiveWorkProvider work={work}>
      <LatencyPage />
    </LiveWorkProvider>
  );
  const view = render(page(), { wrapper: fake.wrapper });
  return { stream, fake, work, view, page };
}

async function chooseLoad() {
  const form = await screen.findByRole('form', { name: 'Latency run' });
  fireEvent.click(within(form).getByRole('radio', { name: /^Load/ }));
  fireEvent.change(within(form).getByLabelText('Concurrency levels'), { target: { value: '1,2' } });
  fireEvent.change(within(form).getByLabelText('Seconds per level'), { target: { value: '5' } });
  await waitFor(() => expect(within(form).getByTestId('estimate').textContent).toContain('about 120 requests (from an assumed 1 s a request at each concurrency) + 1 warm-up'));
  await waitFor(() => expect((within(form).getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(false));
  return form;
}

const progress = (patch: Partial<LoadProgress>): LoadProgress => ({
  key: 'us-east-1',
  route: { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' },
  levelIndex: 0,
  levelCount: 2,
  offered: { concurrency: 1 },
  phase: 'running',
  sent: 3,
  done: 2,
  errors: 0,
  throttled: 0,
  p50TtftMs: 300,
  lateSends: 0,
  finishedLevels: [],
  ...patch,
});

describe('the latency lab’s Load mode (issue 18 §1)', () => {
  it('sends the form as a load run, shows each level’s progress, and keeps it when the page is left and opened again', async () => {
    const { stream, work, view, page, fake } = setUp();
    const form = await chooseLoad();
    fireEvent.click(within(form).getByRole('button', { name: 'Start' }));
    expect(stream.inputs).toHaveLength(1);
    expect(stream.inputs[0]).toMatchObject({ load: { mode: 'concurrency', levels: [1, 2] }, stepDurationMs: 5000, uniquePrompts: true, slo: { preset: 'chat' }, confirmed: false });
    act(() => stream.push(progress({ levelIndex: 1, offered: { concurrency: 2 }, finishedLevels: [level(0, { concurrency: 1 })] })));
    const steps = await screen.findByRole('list', { name: 'Levels of us-east-1' });
    await waitFor(() => expect(within(steps).getAllByRole('listitem').map((step) => step.textContent)).toEqual(['1 ✓ 300 ms', '2 ▶']));
    // Leave the page and come back: the run is still there, still running.
    view.unmount();
    render(page(), { wrapper: fake.wrapper });
    expect(within(await screen.findByRole('list', { name: 'Levels of us-east-1' })).getAllByRole('listitem')).toHaveLength(2);
    expect(work.load.run.running).toBe(true);
  });

  it('Cancel stops the run and its report shows every finished level, marked cancelled', async () => {
    const { stream } = setUp();
    const form = await chooseLoad();
    fireEvent.click(within(form).getByRole('button', { name: 'Start' }));
    act(() => stream.push(progress({ levelIndex: 1, finishedLevels: [level(0, { concurrency: 1 })] })));
    fireEvent.click(await within(form).findByRole('button', { name: 'Cancel' }));
    expect(stream.cancelled).toBe(1);
    const levels = [level(0, { concurrency: 1 }), level(1, { concurrency: 2 }, { status: 'partial', stoppedBy: 'cancelled' })];
    const partial = loadView({ status: 'cancelled', regions: { 'us-east-1': { route: progress({}).route, levels, knee: null, quota: QUOTA } } });
    await act(async () => stream.finish({ ...partial, target: HAIKU, options: { warmup: 1, promptSize: 'small', maxTokens: 64, latency: 'standard', autoProfile: false, maxInFlight: 50 }, stored: true, cost: { usd: 0.001, usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 }, requests: 3, requestsWithoutUsage: 0, routes: {}, priceTable: ESTIMATE.priceTable } }));
    const results = await screen.findByTestId('load-results');
    expect(within(results).getByText('cancelled: finished levels kept')).toBeTruthy();
    expect(within(results).getAllByTestId('level-note').map((note) => [note.closest('tr')?.dataset.level, note.textContent])).toEqual([['1', 'partial: cancelled']]);
    expect(screen.getByTestId('live').textContent).toContain('every finished level is kept');
  });

  it('above the threshold it asks first, with how the requests were counted, and sends confirmed', async () => {
    const { stream } = setUp({ ...ESTIMATE, needsConfirmation: true, confirmationReasons: ['it sends more than 100 requests'] });
    const form = await chooseLoad();
    fireEvent.click(within(form).getByRole('button', { name: 'Start' }));
    expect(stream.inputs).toHaveLength(0);
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('This run sends about 121 requests to AWS (from an assumed 1 s a request at each concurrency)');
    expect(within(dialog).getByTestId('confirmation-reasons').textContent).toBe('it sends more than 100 requests');
    fireEvent.click(within(dialog).getByRole('button', { name: /^Send 121 requests/ }));
    expect(stream.inputs[0]).toMatchObject({ confirmed: true });
  });

  it('refuses levels out of order before asking anything', async () => {
    setUp();
    const form = await screen.findByRole('form', { name: 'Latency run' });
    fireEvent.click(within(form).getByRole('radio', { name: /^Load/ }));
    fireEvent.change(within(form).getByLabelText('Concurrency levels'), { target: { value: '4,2' } });
    expect(within(form).getByRole('alert').textContent).toBe('load levels must increase: 2 comes after 4');
    expect((within(form).getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
