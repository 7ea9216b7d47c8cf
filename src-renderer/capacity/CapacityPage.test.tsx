// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogSnapshot } from '../../src-shared/contract';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { capacityLink } from './capacity-link';
import { CapacityPage } from './CapacityPage';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

const snapshot: CatalogSnapshot = { document: SMALL_CATALOG, meta: { source: 'api', simulated: false, ageMs: 0, cacheMode: 'file', cachePath: null, warnings: [] } };
const pending = () => new Promise<never>(() => {});

function renderPage() {
  const { wrapper, calls } = fakeClient({ getCatalog: async () => snapshot, getQuotas: pending, getUsage: pending, capacity: pending });
  render(<CapacityPage />, { wrapper });
  return { calls };
}

describe('CapacityPage', () => {
  it('opens on the model and source region the cell panel’s link names, and asks about that model from that region', async () => {
    window.location.hash = capacityLink(HAIKU_45, 'us-west-2');
    const { calls } = renderPage();
    expect((await screen.findByTestId('capacity-target')).textContent).toContain(HAIKU_45);
    expect((screen.getByRole('combobox', { name: 'Source region' }) as HTMLSelectElement).value).toBe('us-west-2');
    await waitFor(() => expect(calls.map((call) => call.method)).toEqual(expect.arrayContaining(['getQuotas', 'getUsage', 'capacity'])));
    expect(calls.find((call) => call.method === 'getQuotas')?.input).toEqual({ target: HAIKU_45, regions: ['us-west-2'] });
    expect(calls.find((call) => call.method === 'getUsage')?.input).toEqual({ target: HAIKU_45, since: '24h', regions: ['us-west-2'] });
    expect(calls.find((call) => call.method === 'capacity')?.input).toMatchObject({ target: HAIKU_45, from: 'us-west-2' });
  });

  it('a profile sizes its model; text that names nothing says so and asks nothing', async () => {
    const { calls } = renderPage();
    const target = await screen.findByRole('combobox', { name: 'Model or profile' });
    expect((target as HTMLInputElement).value).toBe(HAIKU);
    fireEvent.change(target, { target: { value: HAIKU_45_US } });
    expect(screen.getByTestId('capacity-target').textContent).toContain(`profile ${HAIKU_45_US}`);
    await waitFor(() => expect(calls.some((call) => call.method === 'getQuotas' && (call.input as { target: string }).target === HAIKU_45)).toBe(true));
    const asked = calls.length;
    fireEvent.change(target, { target: { value: 'no such model' } });
    expect(screen.getByTestId('capacity-target').textContent).toBe('No model or profile matches: pick one from the list.');
    expect(screen.queryByTestId('cap-quotas')).toBeNull();
    expect(calls.length).toBe(asked);
  });
});
