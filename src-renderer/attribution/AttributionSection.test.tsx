// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttributionResults } from '../../src-shared/contract/attribution';
import { useChartTheme } from '../latency/charts/chart-theme';
import { attributionJob, attributionResults, profileRoute } from '../testing/attribution-fixtures';
import { fakeClient } from '../testing/fake-client';
import { HAIKU } from '../testing/small-catalog';
import { AttributionSection } from './AttributionSection';
import { jobSentence, servedRows } from './attribution-figures';

afterEach(cleanup);

function Section() {
  return <AttributionSection runId="run-1" theme={useChartTheme()} />;
}

/** The section against answers the test hands out one after the other (the last one repeats). */
function renderWith(...answers: AttributionResults[]) {
  let index = 0;
  const fake = fakeClient({
    attributionResults: () => Promise.resolve(answers[Math.min(index++, answers.length - 1)]!),
    startAttribution: () => Promise.resolve({ runId: 'run-1', startedAt: '', target: null, job: attributionJob() }),
    cancelAttribution: () => Promise.resolve({ runId: 'run-1', startedAt: '', target: null, job: attributionJob({ state: 'cancelled' }) }),
  });
  render(<Section />, { wrapper: fake.wrapper });
  return fake;
}

describe('AttributionSection (issue 18 §2)', () => {
  it('while looking: its progress, pending counts and when it looks next; Stop looking cancels it', async () => {
    const { calls } = renderWith(attributionResults(attributionJob({}, { attributed: 10, pending: 30 }), [profileRoute({ counts: { requests: 40, attributed: 10, pending: 30, unattributed: 0, unreadable: 0, duplicatesResolved: 0 } })]));
    const status = await screen.findByTestId('attr-status');
    expect(status.dataset.state).toBe('running');
    expect(status.textContent).toContain('Looking up where each request ran in CloudTrail: 10 of 40 profile requests attributed, 30 pending');
    expect((within(status).getByRole('progressbar') as HTMLProgressElement).value).toBe(10);
    fireEvent.click(within(status).getByRole('button', { name: 'Stop looking' }));
    await waitFor(() => expect(calls.map((call) => call.method)).toContain('cancelAttribution'));
    expect(calls.find((call) => call.method === 'cancelAttribution')?.input).toEqual({ runId: 'run-1' });
  });

  it('done: shares and TTFT/E2E by served region in a chart and a table, with the declared destination that served none', async () => {
    renderWith(attributionResults(attributionJob({ state: 'done', nextPassAt: null }, { attributed: 38, pending: 0, unattributed: 2 })));
    const status = await screen.findByTestId('attr-status');
    expect(status.textContent).toContain('Attribution done: 38 of 40 profile requests attributed; 2 never found in CloudTrail (unattributed, still counted).');
    const route = screen.getByTestId('attr-route');
    expect(within(route).getByTestId('chart-served-share')).toBeTruthy();
    expect(within(route).getByTestId('chart-served-ttft')).toBeTruthy();
    const rows = within(within(route).getByTestId('served-table').querySelector('tbody')!).getAllByRole('row').map((row) => [...row.children].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['us-east-1', 'yes', '30', '75 %', '310 / 380', '900 / 1000', '800 / 880'],
      ['us-east-2', 'yes', '10', '25 %', '420 / 510', '1010 / 1100', '880 / 950'],
      ['us-west-2', 'yes', '0', '0 %', '–', '–', '–'],
    ]);
    // Unattributed requests remain to be looked for: one button looks again.
    expect(within(status).getByRole('button', { name: 'Look again' })).toBeTruthy();
  });

  it('CloudTrail not readable: says so with the fix, and the route stays without attribution', async () => {
    const problem = { region: 'us-east-1', reason: 'denied' as const, code: 'AccessDeniedException', message: 'The caller may not call cloudtrail:LookupEvents in us-east-1: add "cloudtrail:LookupEvents" on "*". The latency figures stay, without attribution.' };
    renderWith(attributionResults(attributionJob({ state: 'done', problems: [problem] }, { pending: 0, unreadable: 40 }), [profileRoute({ servedRegions: [], counts: { requests: 40, attributed: 0, pending: 0, unattributed: 0, unreadable: 40, duplicatesResolved: 0 } })]));
    const problems = await screen.findByTestId('attr-problems');
    expect(problems.textContent).toBe(`CloudTrail not readable in us-east-1: ${problem.message}`);
    expect(screen.getByTestId('attr-route').textContent).toContain('No request of this route is attributed yet.');
    expect(screen.getByTestId('attr-route').textContent).toContain('40 unreadable');
  });

  it('a cancelled job resumes; an on-demand run needs no lookup and says why', async () => {
    const { calls } = renderWith(attributionResults(attributionJob({ state: 'cancelled' }, { attributed: 12, pending: 28 })));
    fireEvent.click(await screen.findByRole('button', { name: 'Resume attribution' }));
    await waitFor(() => expect(calls.find((call) => call.method === 'startAttribution')?.input).toEqual({ runId: 'run-1' }));
    cleanup();
    const onDemand = profileRoute({ via: 'route', route: { invokeId: HAIKU, callRegion: 'eu-west-1', kind: 'on-demand' }, declaredDestinations: [] });
    renderWith(attributionResults(attributionJob({ state: 'not-needed', note: 'Every request of the run was served in the region it was called (on-demand routes): nothing to look up.' }), [onDemand]));
    expect((await screen.findByTestId('attr-status')).textContent).toContain('nothing to look up');
    expect(screen.getByTestId('attr-on-demand').textContent).toBe('On demand, served where called: eu-west-1.');
    expect(screen.queryByTestId('attr-route')).toBeNull();
  });

  it('each pass of its job refreshes it; another job’s pass does not', async () => {
    const first = attributionResults(attributionJob({}, { attributed: 0 }), [profileRoute({ servedRegions: [] })]);
    const second = attributionResults(attributionJob({ state: 'done' }, { attributed: 40, pending: 0 }));
    const { emit, calls } = renderWith(first, second);
    await screen.findByText(/0 of 40 profile requests attributed/, { selector: '[data-testid="attr-status"] p' });
    act(() => emit('attribution.progress', attributionJob({ jobId: 'another-run' })));
    expect(calls.filter((call) => call.method === 'attributionResults')).toHaveLength(1);
    act(() => emit('attribution.progress', attributionJob({ state: 'done' })));
    await waitFor(() => expect(screen.getByTestId('attr-status').dataset.state).toBe('done'));
    expect(screen.getByTestId('chart-served-share')).toBeTruthy();
  });

  it('without the history: says attribution is not available, with why', async () => {
    const { wrapper } = fakeClient({ attributionResults: () => Promise.reject(new Error('Attribution needs the history, and it is off: the database is locked.')) });
    render(<Section />, { wrapper });
    expect((await screen.findByRole('alert')).textContent).toBe('Attribution is not available: Attribution needs the history, and it is off: the database is locked.');
  });
});

describe('attribution figures', () => {
  it('an undeclared served region is marked, declared ones with no request follow', () => {
    const route = profileRoute({ servedRegions: [{ region: 'eu-west-3', requests: 4, sharePercent: 100, ttftMs: null, e2eMs: null, serverLatencyMs: null }], declaredDestinations: ['us-east-1'] });
    expect(servedRows(route).map((row) => [row.region, row.declared, row.requests])).toEqual([
      ['eu-west-3', false, 4],
      ['us-east-1', true, 0],
    ]);
  });

  it('a stopped job keeps what it found and counts what it did not look up', () => {
    expect(jobSentence(attributionJob({ state: 'cancelled' }, { attributed: 12, pending: 28 }))).toBe('Attribution stopped: 12 of 40 profile requests attributed (kept), 28 not looked up further.');
  });
});
