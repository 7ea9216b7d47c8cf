import { describe, expect, it } from 'vitest';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import type { QuotaSection, QuotaValue, RouteQuotas } from '../../src-shared/catalog/quotas';
import { HAIKU, HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { describeQuotaCell, quotaBandOf, quotaCells, quotaOverlayCss } from './matrix-quota';

const quota = (applied: number | null, defaultValue: number | null): QuotaValue => ({ applied, default: defaultValue, quotaCode: 'L-00000000', adjustable: true, quotaName: 'a quota' });
const route = (invokeId: string, routeKind: RouteQuotas['routeKind'], quotas: Partial<Pick<RouteQuotas, 'requestsPerMinute' | 'tokensPerMinute' | 'tokensPerDay' | 'variant'>>): RouteQuotas => ({
  modelId: invokeId.replace(/^us\./, ''),
  invokeId,
  routeKind,
  ...quotas,
});

/** Haiku 4.5 callable on demand in us-east-1 as well as through its US profile, so that a cell has two routes. */
const TWO_ROUTES: CatalogDocument = {
  ...SMALL_CATALOG,
  models: {
    ...SMALL_CATALOG.models,
    [HAIKU_45]: { ...SMALL_CATALOG.models[HAIKU_45]!, regions: { 'us-east-1': { onDemand: true, provisioned: false, profiles: [HAIKU_45_US] } } },
  },
};

describe('quotaCells: the tokens per minute of the best route from each cell', () => {
  it('the first route from the region with a tokens-per-minute quota: on demand before the profile, a profile when on demand has none', () => {
    const both: Pick<QuotaSection, 'regions'> = {
      regions: { 'us-east-1': { status: 'ok', routes: [route(HAIKU_45, 'on-demand', { tokensPerMinute: quota(400_000, 200_000) }), route(HAIKU_45_US, 'geo-profile', { tokensPerMinute: quota(null, 2_000_000) })] } },
    };
    expect(quotaCells(TWO_ROUTES, both, [HAIKU_45], ['us-east-1'])).toEqual([
      { modelId: HAIKU_45, region: 'us-east-1', verdict: 'quota', tokensPerMinute: 400_000, invokeId: HAIKU_45, routeKind: 'on-demand', isDefault: false },
    ]);
    const profileOnly: Pick<QuotaSection, 'regions'> = {
      regions: { 'us-east-1': { status: 'ok', routes: [route(HAIKU_45, 'on-demand', { requestsPerMinute: quota(50, 50) }), route(HAIKU_45_US, 'geo-profile', { tokensPerMinute: quota(null, 2_000_000) })] } },
    };
    const [cell] = quotaCells(TWO_ROUTES, profileOnly, [HAIKU_45], ['us-east-1']);
    expect(cell).toEqual({ modelId: HAIKU_45, region: 'us-east-1', verdict: 'quota', tokensPerMinute: 2_000_000, invokeId: HAIKU_45_US, routeKind: 'geo-profile', isDefault: true });
    expect(describeQuotaCell(cell!)).toBe(`Quota overlay: 2,000,000 tokens per minute (AWS's default) through ${HAIKU_45_US} (geo profile).`);
  });

  it('the model’s own quota stands for the route, not a variant’s', () => {
    const section: Pick<QuotaSection, 'regions'> = {
      regions: { 'us-east-1': { status: 'ok', routes: [route(HAIKU, 'on-demand', { variant: '1M Context Length', tokensPerMinute: quota(100_000, 100_000) }), route(HAIKU, 'on-demand', { tokensPerMinute: quota(2_000_000, 2_000_000) })] } },
    };
    expect(quotaCells(SMALL_CATALOG, section, [HAIKU], ['us-east-1'])[0]).toMatchObject({ verdict: 'quota', tokensPerMinute: 2_000_000 });
  });

  it('callable with no tokens-per-minute quota is "no quota found"; not offered is no cell at all; a failed region is marked', () => {
    const section: Pick<QuotaSection, 'regions'> = {
      regions: {
        'us-east-1': { status: 'ok', routes: [] },
        'us-west-2': { status: 'ok', routes: [] },
        'eu-west-1': { status: 'error', error: { code: 'AccessDeniedException', message: 'denied' }, routes: [] },
      },
    };
    expect(quotaCells(SMALL_CATALOG, section, [HAIKU], ['us-east-1', 'us-west-2', 'eu-west-1'])).toEqual([
      { modelId: HAIKU, region: 'us-east-1', verdict: 'no-quota' },
      { modelId: HAIKU, region: 'eu-west-1', verdict: 'failed', reason: 'AccessDeniedException: denied' },
    ]);
  });

  it('a region the quota section does not have is left alone, and a quota of 0 is a figure (0), not "no quota"', () => {
    const section: Pick<QuotaSection, 'regions'> = { regions: { 'us-east-1': { status: 'ok', routes: [route(HAIKU, 'on-demand', { tokensPerMinute: quota(0, 2_000_000) })] } } };
    expect(quotaCells(SMALL_CATALOG, section, [HAIKU], ['us-east-1', 'eu-west-1'])).toEqual([
      { modelId: HAIKU, region: 'us-east-1', verdict: 'quota', tokensPerMinute: 0, invokeId: HAIKU, routeKind: 'on-demand', isDefault: false },
    ]);
  });

  it('a region whose latest read failed keeps its last known figure, marked as such; with nothing known it is "could not be read"', () => {
    const section: Pick<QuotaSection, 'regions'> = {
      regions: {
        'us-east-1': { status: 'error', error: { code: 'ThrottlingException', message: 'Rate exceeded' }, lastKnownAt: '2026-11-22T00:00:00Z', routes: [route(HAIKU, 'on-demand', { tokensPerMinute: quota(2_000_000, 2_000_000) })] },
        'eu-west-1': { status: 'error', error: { code: 'ThrottlingException', message: 'Rate exceeded' }, routes: [] },
      },
    };
    const [stale, failed] = quotaCells(SMALL_CATALOG, section, [HAIKU], ['us-east-1', 'eu-west-1']);
    expect(stale).toMatchObject({ verdict: 'quota', tokensPerMinute: 2_000_000, lastKnownAt: '2026-11-22T00:00:00Z' });
    expect(describeQuotaCell(stale!)).toContain('Last known: the latest read failed');
    expect(quotaOverlayCss([stale!])).toContain('outline:2px dashed var(--bad)');
    expect(failed).toEqual({ modelId: HAIKU, region: 'eu-west-1', verdict: 'failed', reason: 'ThrottlingException: Rate exceeded' });
  });
});

describe('quotaOverlayCss', () => {
  it('writes the compact figure in the cell on its band’s colour, and a glyph (never colour alone) for the cells without one', () => {
    const css = quotaOverlayCss([
      { modelId: HAIKU, region: 'us-east-1', verdict: 'quota', tokensPerMinute: 2_000_000, invokeId: HAIKU, routeKind: 'on-demand', isDefault: false },
      { modelId: HAIKU, region: 'eu-west-1', verdict: 'no-quota' },
    ]).split('\n');
    expect(css[0]).toContain(`background:${quotaBandOf(2_000_000).color}`);
    expect(css[0]).toContain('content:"2M"');
    expect(css[1]).toContain('content:"∅"');
    expect(css[1]).not.toContain('background');
  });

  it('the bands run from light to dark as the quota grows', () => {
    expect([100_000, 500_000, 2_000_000, 8_000_000, 100_000_000].map((value) => quotaBandOf(value).label)).toEqual(['< 300k', '300k–1M', '1M–4M', '4M–20M', '≥ 20M']);
  });
});
