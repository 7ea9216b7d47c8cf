// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { QuotasAnswer } from '../../src-shared/contract';
import { createCellNotes, type CellNotes } from '../matrix/cell-notes';
import { createRowsShown } from '../matrix/rows-shown';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { MatrixQuotaOverlay } from './MatrixQuotaOverlay';

afterEach(cleanup);

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

const answer = (regions: QuotasAnswer['regions'], fetchedAt: string | null = '2026-11-23T00:00:00Z'): QuotasAnswer => ({ fetchedAt, regions, unmatched: [], modelId: null });
const tpm = (value: number) => ({ tokensPerMinute: { applied: value, default: value, quotaCode: 'L-TPM', adjustable: true, quotaName: 'tokens per minute' } });

function Harness({ cellNotes }: { cellNotes: CellNotes }) {
  const [on, setOn] = useState(false);
  const [rowsShown] = useState(() => {
    const rows = createRowsShown();
    rows.set([HAIKU, HAIKU_45]);
    return rows;
  });
  return <MatrixQuotaOverlay document={SMALL_CATALOG} regions={REGIONS} rowsShown={rowsShown} cellNotes={cellNotes} on={on} onToggle={setOn} />;
}

function renderOverlay(getQuotas: () => Promise<QuotasAnswer>) {
  const cellNotes = createCellNotes();
  const { wrapper, calls } = fakeClient({ getQuotas });
  const { container } = render(<Harness cellNotes={cellNotes} />, { wrapper });
  return { cellNotes, calls, container, toggle: () => fireEvent.click(screen.getByRole('button', { name: 'Quota overlay' })) };
}

describe('MatrixQuotaOverlay', () => {
  it('asks nothing until turned on; then one getQuotas for every region, the figures in the cells and the route in each cell’s tooltip', async () => {
    const { calls, container, cellNotes, toggle } = renderOverlay(async () =>
      answer({
        'us-east-1': { status: 'ok', routes: [{ modelId: HAIKU, invokeId: HAIKU, routeKind: 'on-demand', ...tpm(2_000_000) }, { modelId: HAIKU_45, invokeId: HAIKU_45_US, routeKind: 'geo-profile', ...tpm(400_000) }] },
        'us-west-2': { status: 'ok', routes: [] },
        'eu-west-1': { status: 'error', error: { code: 'AccessDeniedException', message: 'denied' }, routes: [] },
      }),
    );
    expect(calls).toEqual([]);
    toggle();
    expect(screen.getByRole('button', { name: 'Quota overlay' }).getAttribute('aria-pressed')).toBe('true');
    const summary = await screen.findByTestId('quota-overlay-summary');
    // Haiku: 2M in us-east-1, not offered in us-west-2 (no cell), failed in eu-west-1; Haiku 4.5: 400k in us-east-1, no quota in us-west-2.
    expect(summary.textContent).toBe('Tokens per minute, best route from each cell (2 with a quota, 1 no tokens/min quota found, 1 quotas could not be read):');
    expect(calls).toEqual([{ method: 'getQuotas', input: {} }]);
    const css = container.querySelector('style')?.textContent ?? '';
    expect(css).toContain('content:"2M"');
    expect(css).toContain('content:"400k"');
    expect(css).toContain('content:"∅"');
    expect(cellNotes.get(HAIKU_45, 'us-east-1')).toBe(`Quota overlay: 400,000 tokens per minute through ${HAIKU_45_US} (geo profile).`);
    expect(cellNotes.get(HAIKU, 'us-west-2')).toBeNull();
    const legend = screen.getByTestId('quota-overlay-legend').textContent;
    expect(legend).toContain('< 300k');
    expect(legend).toContain('∅ no tokens/min quota found');
    expect(legend).toContain('⚠ quotas could not be read');

    toggle();
    expect(screen.queryByTestId('quota-overlay-legend')).toBeNull();
    expect(container.querySelector('style')).toBeNull();
    expect(cellNotes.get(HAIKU_45, 'us-east-1')).toBeNull();
  });

  it('says so when no quotas were ever fetched, and when they could not be read', async () => {
    const never = renderOverlay(async () => answer({}, null));
    never.toggle();
    await waitFor(() => expect(screen.getByTestId('quota-overlay-legend').textContent).toBe('No quotas fetched yet: refresh them on the Capacity page.'));
    cleanup();
    const failing = renderOverlay(async () => Promise.reject(new Error('getQuotas: the catalog is not loaded')));
    failing.toggle();
    await waitFor(() => expect(screen.getByTestId('quota-overlay-legend').textContent).toBe('Quotas could not be read: getQuotas: the catalog is not loaded'));
  });
});
