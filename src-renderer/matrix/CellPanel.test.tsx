// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quotaIncreaseUrl, type QuotaValue } from '../../src-shared/catalog/quotas';
import type { AtlasApi, PricesAnswer, QuotasAnswer, RoutePrice } from '../../src-shared/contract';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { CellPanel } from './CellPanel';

afterEach(cleanup);

/** The ranking, the access check, quotas and prices are asked of the client and left pending: this panel's own logic is the subject. */
function renderPanel(modelId: string, region: string, answers: Partial<AtlasApi> = {}) {
  const onClose = vi.fn();
  const pending = () => new Promise<never>(() => {});
  const { wrapper, calls } = fakeClient({ bestRegions: pending, getModelAccess: pending, getQuotas: pending, getPrices: pending, ...answers });
  const model = SMALL_CATALOG.models[modelId];
  if (!model) throw new Error(`${modelId} is not in the small catalog`);
  render(<CellPanel document={SMALL_CATALOG} model={model} region={region} onClose={onClose} />, { wrapper });
  return { onClose, calls, panel: screen.getByTestId('cell-panel') };
}

const invokeIds = (panel: HTMLElement) => within(panel).queryAllByTestId('invoke-id').map((element) => element.textContent ?? '');

describe('CellPanel', () => {
  it('an on-demand model: the bare id to call, and no profile warning', () => {
    const { panel, calls } = renderPanel(HAIKU, 'us-east-1');
    expect(invokeIds(panel).some((text) => text.includes(HAIKU))).toBe(true);
    expect(within(panel).queryByTestId('profile-only-note')).toBeNull();
    expect(calls).toContainEqual({ method: 'bestRegions', input: { modelId: HAIKU, fromRegion: 'us-east-1' } });
  });

  it('a model served only through a profile: warns that the bare id fails, and lists the profile to call instead', () => {
    const { panel } = renderPanel(HAIKU_45, 'us-east-1');
    expect(within(panel).getByTestId('profile-only-note').textContent).toContain('on-demand throughput isn’t supported');
    const ids = invokeIds(panel);
    expect(ids.some((text) => text.includes(HAIKU_45_US))).toBe(true);
    expect(ids.some((text) => text.includes(HAIKU_45) && !text.includes(HAIKU_45_US))).toBe(false);
  });

  it('a region that does not serve the model says so, with nothing to call', () => {
    const { panel } = renderPanel(HAIKU, 'us-west-2');
    expect(invokeIds(panel)).toEqual([]);
    expect(panel.textContent).toContain('Not callable from us-west-2.');
  });

  it('Escape anywhere in the panel, or the close button, closes it', () => {
    const { panel, onClose } = renderPanel(HAIKU, 'us-east-1');
    const [firstButton] = within(panel).getAllByRole('button');
    expect(firstButton).toBeDefined();
    fireEvent.keyDown(firstButton!, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(panel, { key: 'Enter' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.click(within(panel).getByRole('button', { name: 'Close panel (Escape)' }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});

const quota = (code: string, applied: number | null, defaultValue: number | null, adjustable = true): QuotaValue => ({
  applied,
  default: defaultValue,
  quotaCode: code,
  adjustable,
  quotaName: `On-demand model inference quota ${code} for Anthropic Claude 3 Haiku`,
});

const haikuQuotas = (regions: QuotasAnswer['regions']): QuotasAnswer => ({ fetchedAt: '2026-11-23T00:00:00Z', regions, unmatched: [], modelId: HAIKU });
const haikuPrice = (perMillion: RoutePrice['perMillion']): RoutePrice => ({ modelId: HAIKU, region: 'us-east-1', routeKind: 'in-region', tier: 'standard', perMillion, serviceCode: 'AmazonBedrock', skus: ['SKU1'] });
const prices = (rows: RoutePrice[], fallbackReason?: string): PricesAnswer => ({
  table: {
    asOf: '2026-11-01T00:00:00Z',
    fetchedAt: '2026-11-02T00:00:00Z',
    source: 'bundled',
    origin: 'recorded sample documents',
    products: { read: 3, priced: 1, unused: 0, outOfScope: 2 },
    ...(fallbackReason ? { fallbackReason } : {}),
  },
  prices: rows,
  unused: [],
  modelId: HAIKU,
});

describe('CellPanel: quotas and prices next to the invoke ids (issue 17)', () => {
  it('shows the applied value (and the default where it differs), adjustable or not, the code and the link that asks for more', async () => {
    const answer = haikuQuotas({
      'us-east-1': {
        status: 'ok',
        fetchedAt: '2026-11-23T00:00:00Z',
        routes: [{ modelId: HAIKU, invokeId: HAIKU, routeKind: 'on-demand', requestsPerMinute: quota('L-RPM00001', 2000, 1000), tokensPerMinute: quota('L-TPM00001', 2_000_000, 2_000_000, false) }],
      },
    });
    const { panel, calls } = renderPanel(HAIKU, 'us-east-1', { getQuotas: async () => answer, getPrices: async () => prices([haikuPrice({ input: 0.25, output: 1.25, cacheRead: null, cacheWrite: null })]) });
    const table = await within(panel).findByTestId('quota-table');
    const row = (unit: string) => table.querySelector(`tr[data-unit="${unit}"]`)?.textContent ?? '';
    // The panel is narrow: the default only where it differs, and "adjustable" said by the link itself.
    expect(row('requestsPerMinute')).toBe('Requests/min2,000default 1,000L-RPM00001 Request increase ↗');
    expect(row('tokensPerMinute')).toBe('Tokens/min2,000,000L-TPM00001 not adjustable');
    expect(row('tokensPerDay')).toBe('Tokens/dayno quota found');
    expect(within(table).getByTestId('increase-link').getAttribute('href')).toBe(quotaIncreaseUrl('us-east-1', 'L-RPM00001'));
    expect(within(table).getAllByTestId('increase-link')).toHaveLength(1);
    const price = await within(panel).findByTestId('route-price');
    expect(price.textContent).toBe('USD per 1M tokens: input $0.25 · output $1.25 · cache read unknown · cache write unknown');
    expect(within(panel).getByTestId('price-date').textContent).toContain('Prices as of 2026-11-01 (the bundled table)');
    expect(calls).toContainEqual({ method: 'getQuotas', input: { target: HAIKU, regions: ['us-east-1'] } });
  });

  it('an id with no quota says "no quota found", never a number; a route with no price says "unknown", never $0', async () => {
    const answer = haikuQuotas({ 'us-east-1': { status: 'ok', fetchedAt: '2026-11-23T00:00:00Z', routes: [] } });
    const { panel } = renderPanel(HAIKU, 'us-east-1', { getQuotas: async () => answer, getPrices: async () => prices([], 'The bundled price file is not valid JSON: using the prices fetched earlier.') });
    expect((await within(panel).findByTestId('no-quota')).textContent).toBe('Quotas: no quota found');
    expect(within(panel).queryByTestId('quota-table')).toBeNull();
    const price = await within(panel).findByTestId('route-price');
    expect(price.textContent).toMatch(/^Price: unknown/);
    expect(panel.textContent).not.toContain('$0');
    expect(within(panel).getByTestId('price-date').textContent).toContain('⚠ The bundled price file is not valid JSON');
  });

  it('a region whose quotas could not be read says so with the reason, and shows no figure for its ids', async () => {
    const answer = haikuQuotas({
      'us-east-1': { status: 'error', error: { code: 'AccessDeniedException', message: 'not authorized to perform servicequotas:ListServiceQuotas' }, fetchedAt: '2026-11-23T00:00:00Z', routes: [] },
    });
    const { panel } = renderPanel(HAIKU, 'us-east-1', { getQuotas: async () => answer });
    const failure = await within(panel).findByTestId('quota-region-failed');
    expect(failure.textContent).toMatch(/^⚠ Quotas could not be read in us-east-1: AccessDeniedException — not authorized to perform servicequotas:ListServiceQuotas/);
    expect(within(panel).queryByTestId('no-quota')).toBeNull();
    expect(within(panel).queryByTestId('quota-table')).toBeNull();
  });

  it('a cell with nothing to call asks for no quota or price', async () => {
    const { calls } = renderPanel(HAIKU, 'us-west-2');
    await waitFor(() => expect(calls.some((call) => call.method === 'bestRegions')).toBe(true));
    expect(calls.filter((call) => call.method === 'getQuotas' || call.method === 'getPrices')).toEqual([]);
  });

  it('a region whose latest read failed shows the quotas last read, saying so', async () => {
    const answer = haikuQuotas({
      'us-east-1': {
        status: 'error',
        error: { code: 'TooManyRequestsException', message: 'Rate exceeded' },
        fetchedAt: '2026-11-23T00:00:00Z',
        lastKnownAt: '2026-11-22T00:00:00Z',
        routes: [{ modelId: HAIKU, invokeId: HAIKU, routeKind: 'on-demand', tokensPerMinute: quota('L-TPM00001', 2_000_000, 2_000_000) }],
      },
    });
    const { panel } = renderPanel(HAIKU, 'us-east-1', { getQuotas: async () => answer });
    const failure = await within(panel).findByTestId('quota-region-failed');
    expect(failure.textContent).toContain('TooManyRequestsException — Rate exceeded');
    expect(within(failure).getByTestId('quota-last-known').textContent).toContain('Shown: the quotas last read');
    expect(within(panel).getByTestId('quota-table').querySelector('tr[data-unit="tokensPerMinute"]')?.textContent).toContain('2,000,000');
  });
});
