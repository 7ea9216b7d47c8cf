// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogDocument, ModelAccess } from '../../src-shared/catalog/document';
import { createRowsShown } from '../matrix/rows-shown';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, HAIKU_45, SMALL_CATALOG } from '../testing/small-catalog';
import { accessAsks, accessOverlayCss, describeMarks, judgeCells } from './matrix-access';
import { MatrixAccessOverlay } from './MatrixAccessOverlay';

afterEach(cleanup);

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const at = '2026-11-23T00:00:00Z';
const access = (status: ModelAccess['status'], message?: string): ModelAccess => ({ status, checkedAt: at, ...(message ? { message } : {}) });

/** SMALL_CATALOG with eu-west-1 not callable with a short-term key of us-east-1's. */
const KEY_BOUND: CatalogDocument = {
  ...SMALL_CATALOG,
  regions: {
    ...SMALL_CATALOG.regions,
    'eu-west-1': {
      status: 'error',
      error: { code: 'ApiKeyRegion', errorClass: 'credentials', message: 'This short-term API key works only in us-east-1: eu-west-1 is not callable with this key.' },
    },
  },
};

describe('which cells the overlay asks about', () => {
  it('asks once per model shown, with every region where the matrix says it is callable, never per cell', () => {
    expect(accessAsks(SMALL_CATALOG, [HAIKU, HAIKU_45, HAIKU], REGIONS)).toEqual([
      { modelId: HAIKU, regions: ['us-east-1', 'eu-west-1'] },
      { modelId: HAIKU_45, regions: ['us-east-1', 'us-west-2'] },
    ]);
  });

  it('does not ask about a region a short-term key cannot call, nor a model callable nowhere shown, nor an unknown id', () => {
    expect(accessAsks(KEY_BOUND, [HAIKU, 'no.such-model'], ['eu-west-1'])).toEqual([]);
    expect(accessAsks(KEY_BOUND, [HAIKU], REGIONS)).toEqual([{ modelId: HAIKU, regions: ['us-east-1'] }]);
  });
});

describe('what the overlay marks (the doctor’s judgments of the same answers)', () => {
  it('marks a pending agreement and a missing authorization as blocked, and leaves authorized cells unmarked', () => {
    const cells = judgeCells(SMALL_CATALOG, [HAIKU, HAIKU_45], REGIONS, {
      [HAIKU]: { 'us-east-1': access('agreement_pending'), 'eu-west-1': access('authorized') },
      [HAIKU_45]: { 'us-east-1': access('not_authorized'), 'us-west-2': access('authorized') },
    });
    expect(cells.map(({ modelId, region, verdict }) => [modelId, region, verdict])).toEqual([
      [HAIKU, 'us-east-1', 'blocked'],
      [HAIKU_45, 'us-east-1', 'blocked'],
    ]);
    expect(cells[0]?.reason).toContain('agreement is pending');
  });

  it('a model not available in the region: blocked on demand, at risk through a profile that serves it elsewhere', () => {
    const cells = judgeCells(SMALL_CATALOG, [HAIKU, HAIKU_45], ['us-east-1'], {
      [HAIKU]: { 'us-east-1': access('not_available') },
      [HAIKU_45]: { 'us-east-1': access('not_available') },
    });
    expect(cells.map((cell) => cell.verdict)).toEqual(['blocked', 'at-risk']);
  });

  it('a LEGACY model is at risk where it is authorized; an unknown answer stays unknown with its reason, never unmarked', () => {
    const legacy: CatalogDocument = { ...SMALL_CATALOG, models: { ...SMALL_CATALOG.models, [HAIKU]: { ...SMALL_CATALOG.models[HAIKU]!, lifecycle: 'LEGACY' } } };
    const cells = judgeCells(legacy, [HAIKU], REGIONS, { [HAIKU]: { 'us-east-1': access('authorized'), 'eu-west-1': access('unknown', 'AccessDenied: no bedrock:GetFoundationModelAvailability') } });
    expect(cells.map(({ region, verdict, reason }) => [region, verdict, reason])).toEqual([
      ['us-east-1', 'at-risk', expect.stringContaining('LEGACY')],
      ['eu-west-1', 'unknown', 'AccessDenied: no bedrock:GetFoundationModelAvailability'],
    ]);
  });

  it('marks every row of a region the key cannot call "not callable with this key", with the key’s region as the cause', () => {
    const cells = judgeCells(KEY_BOUND, [HAIKU, HAIKU_45], REGIONS, {});
    expect(cells.map(({ modelId, region, verdict }) => [modelId, region, verdict])).toEqual([
      [HAIKU, 'eu-west-1', 'key-bound'],
      [HAIKU_45, 'eu-west-1', 'key-bound'],
    ]);
    expect(cells[0]?.reason).toBe('not callable with this key: This short-term API key works only in us-east-1');
  });

  it('writes one rule per marked cell with its glyph, and counts them in the legend’s order', () => {
    const cells = judgeCells(KEY_BOUND, [HAIKU], REGIONS, { [HAIKU]: { 'us-east-1': access('not_authorized') } });
    const css = accessOverlayCss(cells);
    expect(css.split('\n')).toHaveLength(2);
    expect(css).toContain(`.cell[data-model="${HAIKU}"][data-region="us-east-1"]{background:`);
    expect(css).toContain('content:"✕"');
    expect(css).toContain('content:"⊘"');
    expect(describeMarks(cells)).toBe('1 you cannot call it (model access) · 1 not callable with this key');
  });
});

describe('the "Check my access" toggle', () => {
  it('asks nothing until turned on, then once per model on screen, never IAM, and marks the cells it cannot use', async () => {
    const rowsShown = createRowsShown();
    const { wrapper, calls } = fakeClient({
      getModelAccess: async ({ modelId, regions }) =>
        Object.fromEntries(regions.map((region) => [region, access(modelId === HAIKU && region === 'eu-west-1' ? 'agreement_pending' : 'authorized')])),
    });
    const { container } = render(<MatrixAccessOverlay document={SMALL_CATALOG} regions={REGIONS} rowsShown={rowsShown} />, { wrapper });
    act(() => rowsShown.set([HAIKU]));
    expect(calls).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Check my access' }));
    await waitFor(() => expect(screen.getByTestId('access-overlay-summary').textContent).toBe('Access for the 1 models shown: 1 you cannot call it (model access)'));
    expect(calls).toEqual([{ method: 'getModelAccess', input: { modelId: HAIKU, regions: ['us-east-1', 'eu-west-1'] } }]);
    expect(container.querySelector('style')?.textContent).toContain(`[data-model="${HAIKU}"][data-region="eu-west-1"]`);

    // Scrolling brings Haiku 4.5 on screen: it is asked, once, and Haiku is not asked again.
    act(() => rowsShown.set([HAIKU, HAIKU_45]));
    await waitFor(() => expect(screen.getByTestId('access-overlay-summary').textContent).toMatch(/^Access for the 2 models shown/));
    expect(calls.map((call) => [call.method, (call.input as { modelId: string }).modelId])).toEqual([
      ['getModelAccess', HAIKU],
      ['getModelAccess', HAIKU_45],
    ]);
    expect(screen.getByTestId('access-overlay-legend').textContent).toContain('not callable with this key');

    fireEvent.click(screen.getByRole('button', { name: 'Check my access' }));
    expect(container.querySelector('style')).toBeNull();
    expect(screen.queryByTestId('access-overlay-legend')).toBeNull();
  });
});
