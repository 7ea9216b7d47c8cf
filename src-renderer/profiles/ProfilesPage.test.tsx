// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ObservedRouting } from '../../src-shared/contract';
import { fakeClient } from '../testing/fake-client';
import { HAIKU_45_US, SMALL_SNAPSHOT } from '../testing/small-catalog';
import { ProfilesPage } from './ProfilesPage';

afterEach(cleanup);

const OBSERVED: ObservedRouting = {
  profileId: HAIKU_45_US,
  sourceRegion: 'us-east-1',
  requests: 200,
  destinations: [
    { region: 'us-east-1', declared: true, requests: 150, sharePercent: 75 },
    { region: 'us-west-2', declared: true, requests: 0, sharePercent: 0 },
    { region: 'eu-west-3', declared: false, requests: 50, sharePercent: 25 },
  ],
  lastObservedAt: '2026-11-23T01:00:00.000Z',
};

function renderPage(observed: () => Promise<{ routing: ObservedRouting[] }>) {
  const fake = fakeClient({ getCatalog: () => Promise.resolve(SMALL_SNAPSHOT), observedRouting: observed });
  render(<ProfilesPage />, { wrapper: fake.wrapper });
  return fake;
}

describe('Profiles page: observed routing next to the declared destinations (issue 18 §2)', () => {
  it('writes each observed share in the routing grid and under it, an undeclared destination marked', async () => {
    const { calls } = renderPage(() => Promise.resolve({ routing: [OBSERVED] }));
    const block = await screen.findByTestId('observed-routing');
    const card = block.closest('[data-testid="profile-card"]') as HTMLElement;
    expect(calls.find((call) => call.method === 'observedRouting')?.input).toEqual({ days: 30 });
    const source = within(block).getByText(/^from/).closest('li') as HTMLElement;
    expect(source.textContent).toContain('(200 requests, last');
    expect(source.querySelector('.observed-shares')?.textContent).toBe('us-east-1 75 %eu-west-3 25 % ⚠ not declarednone seen in us-west-2');
    // The declared cell that served 75 % says so; the declared one that served none keeps its dot.
    const row = card.querySelector('tr[data-source="us-east-1"]') as HTMLElement;
    expect(within(row).getAllByTestId('observed-share').map((share) => share.textContent)).toEqual(['75']);
    expect(screen.getByTestId('observed-status').textContent).toBe('Observed routing: 1 profile measured in the last 30 days (% of attributed requests)');
  });

  it('nothing observed, and no history, each say so without hiding the declared routing', async () => {
    renderPage(() => Promise.resolve({ routing: [] }));
    expect((await screen.findByText(/No observed routing/)).textContent).toBe('No observed routing in the last 30 days: a latency run through a profile, once attributed, shows where its requests ran.');
    expect(screen.getByTestId('routing-grid')).toBeTruthy();
    cleanup();
    renderPage(() => Promise.reject(new Error('the history is off')));
    expect((await screen.findByText(/Observed routing unavailable/)).textContent).toBe('Observed routing unavailable: the history is off');
    expect(screen.getByTestId('routing-grid')).toBeTruthy();
  });
});
