// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogSnapshot } from '../../src-shared/contract';
import type { CatalogDocument, RegionError } from '../../src-shared/catalog/document';
import type { RegionProgress } from '../../src-shared/events';
import { CellTooltip, RegionTooltip } from '../matrix/GridCells';
import { HAIKU, SMALL_CATALOG } from '../testing/small-catalog';
import { describeCause, describeScanDone } from './discovery-failure';
import { RegionsPopover } from './RegionsPopover';

afterEach(cleanup);

/**
 * Regions a short-term API key cannot call (code ApiKeyRegion) are "not callable with this key", never "failed":
 * in the status bar's end-of-scan line, the regions list, and the matrix's tooltips (issue 16 §2).
 */

const keyBound = (region: string): RegionError => ({
  code: 'ApiKeyRegion',
  errorClass: 'credentials',
  message: `This short-term API key works only in us-east-1: ${region} is not callable with this key. Use AWS credentials or a long-term API key to call other regions.`,
});
const CAUSE = 'This short-term API key works only in us-east-1';

const progress = (region: string, phase: RegionProgress['phase'], error?: RegionError): RegionProgress => ({
  scanId: 's1',
  region,
  phase,
  completed: 3,
  total: 3,
  waiting: [],
  ...(error ? { error } : {}),
});

const DOCUMENT: CatalogDocument = {
  ...SMALL_CATALOG,
  regions: {
    'us-east-1': { status: 'ok', modelCount: 2, profileCount: 1 },
    'us-west-2': { status: 'error', error: keyBound('us-west-2') },
    'eu-west-1': { status: 'error', error: keyBound('eu-west-1') },
  },
};
const snapshot = { document: DOCUMENT, meta: { source: 'api', ageMs: 0, warnings: [] } } as unknown as CatalogSnapshot;

describe('the status bar’s end-of-scan line', () => {
  it('counts key-bound regions apart, in those words, and not as failed', () => {
    expect(describeScanDone([progress('us-east-1', 'done'), progress('us-west-2', 'failed', keyBound('us-west-2')), progress('eu-west-1', 'failed', keyBound('eu-west-1'))])).toBe(
      'Last refresh: 1 ok, 0 failed · 2 not callable with this key',
    );
    expect(describeScanDone([progress('us-east-1', 'done'), progress('eu-west-1', 'failed', { code: 'ThrottlingException', errorClass: 'throttled', message: 'slow down' })])).toBe('Last refresh: 1 ok, 1 failed');
  });

  it('a scan of only regions the key cannot call names the key, not "every region failed"', () => {
    expect(describeCause([`ApiKeyRegion: ${keyBound('us-west-2').message}`, `ApiKeyRegion: ${keyBound('eu-west-1').message}`], { endpointUrl: null, awsProfile: null })).toBe(
      `${CAUSE}: none of the regions scanned is callable with this key`,
    );
  });
});

describe('the regions list', () => {
  it('says the key’s cause once, as "not callable with this key", never "Every failed region answered"', () => {
    render(<RegionsPopover snapshot={snapshot} failure={null} onClose={() => {}} toggle={createRef()} />);
    expect(screen.getByTestId('key-bound-detail').textContent).toBe(`2 regions not callable with this key: ${CAUSE}`);
    expect(screen.queryByTestId('shared-failure-detail')).toBeNull();
    const rows = [...screen.getByTestId('region-popover').querySelectorAll('tr')];
    expect(rows.map((row) => [row.className, row.textContent])).toEqual([
      ['key-bound', 'eu-west-1– not callable with this key'],
      ['key-bound', 'us-west-2– not callable with this key'],
      ['', 'us-east-1✓ 2 models, 1 profiles– ms'],
    ]);
  });
});

describe('the matrix’s tooltips', () => {
  it('a cell and a region header of a key-bound region say "not callable with this key" with the cause, not "Last scan failed"', () => {
    const { container, unmount } = render(<CellTooltip document={DOCUMENT} modelId={HAIKU} region="eu-west-1" />);
    expect(container.textContent).toContain(`Not callable with this key: ${CAUSE}.`);
    expect(container.textContent).not.toContain('failed');
    unmount();
    const region = render(<RegionTooltip document={DOCUMENT} region="us-west-2" />);
    expect(region.container.textContent).toContain(`Not callable with this key: ${CAUSE}.`);
    expect(region.container.textContent).not.toContain('Last scan failed');
  });
});
