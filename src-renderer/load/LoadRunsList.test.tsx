// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClient } from '../testing/fake-client';
import { HAIKU_45_US } from '../testing/small-catalog';
import { LoadRunsList } from './LoadRunsList';

afterEach(cleanup);

describe('LoadRunsList', () => {
  it('lists the stored load runs only, newest first, and reopens one', async () => {
    const onOpen = vi.fn(() => Promise.resolve());
    const run = (id: string, kind: 'latency' | 'load', startedAt: string) => ({ id, kind, startedAt, target: HAIKU_45_US, status: 'completed' as const, regions: { 'us-east-1': { samples: 40, ttftMs: null, e2eMs: null, outputTokensPerSecond: null } } });
    const { wrapper } = fakeClient({ latencyHistory: () => Promise.resolve({ runs: [run('load-2', 'load', '2026-11-23T02:00:00Z'), run('lat-1', 'latency', '2026-11-23T01:30:00Z'), run('load-1', 'load', '2026-11-23T01:00:00Z')] }) });
    render(<LoadRunsList refreshKey={null} onOpen={onOpen} />, { wrapper });
    const table = await screen.findByRole('table', { name: 'Stored load runs' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.dataset.run)).toEqual(['load-2', 'load-1']);
    fireEvent.click(within(rows[1]!).getByRole('button', { name: /^Open the load run/ }));
    expect(onOpen).toHaveBeenCalledWith('load-1');
  });

  it('a run that cannot be opened says why; no load run yet says how to make one', async () => {
    const { wrapper } = fakeClient({ latencyHistory: () => Promise.resolve({ runs: [{ id: 'load-1', kind: 'load', startedAt: '2026-11-23T01:00:00Z', target: null, status: 'completed', regions: {} }] }) });
    render(<LoadRunsList refreshKey={null} onOpen={() => Promise.reject(new Error('No load run load-1 in the history.'))} />, { wrapper });
    fireEvent.click(await screen.findByRole('button', { name: /^Open the load run/ }));
    expect((await screen.findByRole('alert')).textContent).toBe('The load run could not be opened: No load run load-1 in the history.');
    cleanup();
    const empty = fakeClient({ latencyHistory: () => Promise.resolve({ runs: [] }) });
    render(<LoadRunsList refreshKey={null} onOpen={() => Promise.resolve()} />, { wrapper: empty.wrapper });
    expect((await screen.findByText(/No load run is stored yet/)).textContent).toContain('Choose Load in the form above');
  });
});
