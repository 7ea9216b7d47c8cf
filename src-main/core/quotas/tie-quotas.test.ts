import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogDocumentSchema, type CatalogDocument, type CatalogModel } from '../../../src-shared/catalog/document';
import { DOUBLED_FOR_CROSS_REGION_NOTE, parseQuotaName } from './quota-names';
import { QuotaMatcher, routesFrom, type QuotaReading } from './tie-quotas';

/** One region's quotas tied to the catalog's routes from it: made-up catalogs in the real patterns, then the real dump. */

const REGION = 'eu-west-1';

function model(modelId: string, modelName: string, providerName: string, offer: { onDemand?: boolean; profiles?: string[] }): CatalogModel {
  return {
    modelId,
    modelName,
    providerName,
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    streaming: true,
    lifecycle: 'ACTIVE',
    regions: { [REGION]: { onDemand: offer.onDemand ?? false, provisioned: false, profiles: offer.profiles ?? [] } },
  };
}

function document(models: CatalogModel[]): CatalogDocument {
  const profiles = Object.fromEntries(
    models.flatMap((entry) =>
      (entry.regions[REGION]?.profiles ?? []).map((profileId) => {
        const scope = profileId.split('.')[0]!;
        return [profileId, { profileId, name: profileId, description: '', scope, modelId: entry.modelId, routes: { [REGION]: [REGION] }, ...(scope === 'global' ? { global: true } : {}) }];
      }),
    ),
  );
  return {
    schemaVersion: 1,
    generatedAt: '2026-05-01T00:00:00.000Z',
    source: 'api',
    regions: { [REGION]: { status: 'ok' } },
    models: Object.fromEntries(models.map((entry) => [entry.modelId, entry])),
    profiles,
  };
}

const reading = (quotaCode: string, quotaName: string, applied: number | null, defaultValue: number | null = applied, adjustable = false): QuotaReading => ({
  quotaCode,
  quotaName,
  applied,
  default: defaultValue,
  adjustable,
});

const SONNET = 'anthropic.claude-sonnet-9-20300101-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const catalog = document([
  model(SONNET, 'Claude Sonnet 9', 'Anthropic', { profiles: [`eu.${SONNET}`, `global.${SONNET}`] }),
  model(HAIKU, 'Claude 3 Haiku', 'Anthropic', { onDemand: true, profiles: [`eu.${HAIKU}`] }),
  model(NOVA, 'Nova Lite', 'Amazon', { onDemand: true }),
  model('moonshot.kimi-k9', 'Kimi K9', 'Moonshot AI', { onDemand: true }),
  model('moonshotai.kimi-k9', 'Kimi K9', 'Moonshot AI', { onDemand: true }),
]);

describe('tying one region’s quotas to its routes', () => {
  const tied = new QuotaMatcher(catalog).tie(REGION, [
    reading('L-00000001', 'On-demand model inference requests per minute for Anthropic Claude 3 Haiku', 800, 1000),
    reading('L-00000002', 'On-demand model inference tokens per minute for Anthropic Claude 3 Haiku', 0, 2_000_000),
    reading('L-00000003', 'Cross-region model inference tokens per minute for Anthropic Claude 3 Haiku', 4_000_000, 4_000_000, true),
    reading('L-00000004', 'Model invocation max tokens per day for Anthropic Claude Sonnet 9 V1 (doubled for cross-region calls)', 1_000_000, 720_000),
    reading('L-00000005', 'Cross-Region model inference tokens per minute for Anthropic Claude Sonnet 9 V1', 500_000, 200_000, true),
    reading('L-00000006', 'Global cross-region model inference tokens per day for Anthropic Claude Sonnet 9 V1', null, 2_880_000_000),
    reading('L-00000007', 'Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 9 V1 1M Context Length', 1_000_000, 1_000_000, true),
    reading('L-00000008', 'On-demand model inference requests per minute for Kimi K9', 10_000),
    reading('L-00000009', 'On-demand model inference requests per minute for Stability.ai Stable Diffusion XL 0.8', 60),
    reading('L-0000000A', 'Batch inference job size (in GB) for Claude 3 Haiku', 5),
    reading('L-0000000B', 'Model units per provisioned model for Anthropic Claude 3 Haiku 200K', 0),
  ]);
  const route = (invokeId: string, variant?: string) => tied.routes.find((entry) => entry.invokeId === invokeId && entry.variant === variant);

  it('lists every route the catalog offers from the region, with no quota fields where none was found', () => {
    expect(tied.routes.map((entry) => `${entry.routeKind} ${entry.invokeId}${entry.variant ? ` (${entry.variant})` : ''}`)).toEqual([
      `on-demand ${NOVA}`,
      `on-demand ${HAIKU}`,
      `geo-profile eu.${HAIKU}`,
      `geo-profile eu.${SONNET}`,
      `global-profile global.${SONNET}`,
      `global-profile global.${SONNET} (1M Context Length)`,
      'on-demand moonshot.kimi-k9',
      'on-demand moonshotai.kimi-k9',
    ]);
    expect(route(NOVA)).toEqual({ modelId: NOVA, invokeId: NOVA, routeKind: 'on-demand' });
  });

  it('keeps the applied value apart from the default, a quota of 0 included, with code and adjustability', () => {
    expect(route(HAIKU)).toEqual({
      modelId: HAIKU,
      invokeId: HAIKU,
      routeKind: 'on-demand',
      requestsPerMinute: { applied: 800, default: 1000, quotaCode: 'L-00000001', adjustable: false, quotaName: 'On-demand model inference requests per minute for Anthropic Claude 3 Haiku' },
      tokensPerMinute: { applied: 0, default: 2_000_000, quotaCode: 'L-00000002', adjustable: false, quotaName: 'On-demand model inference tokens per minute for Anthropic Claude 3 Haiku' },
    });
    expect(route(`eu.${HAIKU}`)?.tokensPerMinute).toMatchObject({ applied: 4_000_000, quotaCode: 'L-00000003', adjustable: true });
  });

  it('gives a geo profile twice the "doubled for cross-region calls" quota, saying so, and the global profile its own', () => {
    expect(route(`eu.${SONNET}`)?.tokensPerDay).toEqual({
      applied: 2_000_000,
      default: 1_440_000,
      quotaCode: 'L-00000004',
      adjustable: false,
      quotaName: 'Model invocation max tokens per day for Anthropic Claude Sonnet 9 V1 (doubled for cross-region calls)',
      note: DOUBLED_FOR_CROSS_REGION_NOTE,
    });
    expect(route(`global.${SONNET}`)?.tokensPerDay).toEqual({
      applied: null,
      default: 2_880_000_000,
      quotaCode: 'L-00000006',
      adjustable: false,
      quotaName: 'Global cross-region model inference tokens per day for Anthropic Claude Sonnet 9 V1',
    });
  });

  it('keeps a context-length variant out of the route’s main figures', () => {
    expect(route(`global.${SONNET}`)?.tokensPerMinute).toBeUndefined();
    expect(route(`global.${SONNET}`, '1M Context Length')).toMatchObject({ routeKind: 'global-profile', tokensPerMinute: { applied: 1_000_000, quotaCode: 'L-00000007' } });
  });

  it('lists the ambiguous and the unmatched inference quotas, and nothing of the others', () => {
    expect(tied.unmatched).toEqual([
      {
        region: REGION,
        quotaCode: 'L-00000008',
        quotaName: 'On-demand model inference requests per minute for Kimi K9',
        value: 10_000,
        candidates: ['moonshot.kimi-k9', 'moonshotai.kimi-k9'],
        reason: 'its name fits 2 models equally (moonshot.kimi-k9, moonshotai.kimi-k9): not guessed',
      },
      {
        region: REGION,
        quotaCode: 'L-00000009',
        quotaName: 'On-demand model inference requests per minute for Stability.ai Stable Diffusion XL 0.8',
        value: 60,
        reason: 'its name fits no model of the catalog',
      },
    ]);
    expect(route('moonshot.kimi-k9')?.requestsPerMinute).toBeUndefined();
  });

  it('leaves out a quota for a route the model does not have from the region (no on-demand Sonnet 9 here)', () => {
    const onDemandOnly = new QuotaMatcher(catalog).tie(REGION, [reading('L-0000000C', 'On-demand model inference requests per minute for Anthropic Claude Sonnet 9 V1', 50)]);
    expect(onDemandOnly.unmatched).toEqual([]);
    expect(onDemandOnly.routes.some((entry) => entry.requestsPerMinute)).toBe(false);
  });

  it('does not guess between two quotas that name the same route and unit', () => {
    const twice = new QuotaMatcher(catalog).tie(REGION, [
      reading('L-0000000D', 'On-demand model inference requests per minute for Amazon Nova Lite', 100),
      reading('L-0000000E', 'On-demand model inference requests per minute for Amazon Nova Lite V1', 200),
    ]);
    expect(twice.routes.find((entry) => entry.invokeId === NOVA)?.requestsPerMinute).toBeUndefined();
    expect(twice.unmatched.map((entry) => [entry.quotaCode, entry.reason])).toEqual([
      ['L-0000000D', `L-0000000D and L-0000000E both name ${NOVA} (on-demand) requestsPerMinute: which one applies is not guessed`],
      ['L-0000000E', `L-0000000D and L-0000000E both name ${NOVA} (on-demand) requestsPerMinute: which one applies is not guessed`],
    ]);
  });
});

describe('the real us-east-1 dump on the real catalog', () => {
  const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  const realCatalog = CatalogDocumentSchema.parse(JSON.parse(fixture('catalog.bundled-8ac56b6.json')));
  const dump = JSON.parse(fixture('list-service-quotas.bedrock.us-east-1.collector.json')) as { quotas: { quotaCode: string; quotaName: string; value: number; adjustable: boolean }[] };
  const readings = dump.quotas.map((quota) => reading(quota.quotaCode, quota.quotaName, quota.value, quota.value, quota.adjustable));
  const tied = new QuotaMatcher(realCatalog).tie('us-east-1', readings);
  const route = (invokeId: string, variant?: string) => tied.routes.find((entry) => entry.invokeId === invokeId && entry.variant === variant);
  const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

  it('reads Sonnet 4.5’s three routes as AWS words them: the geo tokens per day doubled, the global one its own', () => {
    expect(route(`us.${SONNET_45}`)).toMatchObject({
      requestsPerMinute: { quotaCode: 'L-4A6BFAB1', applied: 1000, adjustable: true },
      tokensPerMinute: { quotaCode: 'L-F4DDD3EB', applied: 5_000_000, adjustable: true },
      tokensPerDay: { quotaCode: 'L-381AD9EE', applied: 7_200_000_000, note: DOUBLED_FOR_CROSS_REGION_NOTE },
    });
    expect(route(`global.${SONNET_45}`)).toMatchObject({
      requestsPerMinute: { quotaCode: 'L-DB84CE56' },
      tokensPerMinute: { quotaCode: 'L-27C57EE8', applied: 5_000_000 },
      tokensPerDay: { quotaCode: 'L-BC182137', applied: 7_200_000_000 },
    });
    expect(route(`global.${SONNET_45}`)?.tokensPerDay?.note).toBeUndefined();
    expect(route(`us.${SONNET_45}`, '1M Context Length')?.tokensPerMinute).toMatchObject({ quotaCode: 'L-8EA73537', applied: 1_000_000 });
  });

  it('attaches on-demand quotas to on-demand routes (Claude 3 Haiku, Nova Pro and its latency-optimized variant)', () => {
    expect(route(HAIKU)).toMatchObject({ requestsPerMinute: { quotaCode: 'L-2DC80978' }, tokensPerMinute: { quotaCode: 'L-8CE99163' } });
    expect(route('amazon.nova-pro-v1:0')).toMatchObject({ requestsPerMinute: { quotaCode: 'L-F2717A44' }, tokensPerMinute: { quotaCode: 'L-CE33604C' } });
    expect(route('amazon.nova-pro-v1:0', 'latency-optimized')).toMatchObject({ tokensPerDay: { quotaCode: 'L-145AFCE6', applied: 57_600_000 } });
  });

  it('ties every inference quota to a route or lists it, unless its model has no route of its kind from us-east-1', () => {
    const codes = tied.unmatched.map((entry) => entry.quotaCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of tied.unmatched) expect(parseQuotaName(entry.quotaName), entry.quotaName).not.toBeNull();
    const tiedCodes = new Set(tied.routes.flatMap((entry) => [entry.requestsPerMinute, entry.tokensPerMinute, entry.tokensPerDay].flatMap((value) => (value ? [value.quotaCode] : []))));
    expect(codes.filter((code) => tiedCodes.has(code))).toEqual([]);
    const matcher = new QuotaMatcher(realCatalog);
    const outcome = { tied: 0, listed: 0, noRouteHere: 0 };
    for (const quota of readings) {
      const parsed = parseQuotaName(quota.quotaName);
      if (!parsed) continue;
      if (tiedCodes.has(quota.quotaCode)) outcome.tied++;
      else if (codes.includes(quota.quotaCode)) outcome.listed++;
      else {
        const kinds = parsed.appliesTo.map((application) => application.routeKind);
        const routes = matcher.bestFits(parsed.modelName).flatMap((modelId) => routesFrom(realCatalog, modelId, 'us-east-1'));
        expect(routes.filter((entry) => kinds.includes(entry.routeKind)), quota.quotaName).toEqual([]);
        outcome.noRouteHere++;
      }
    }
    expect(outcome.tied + outcome.listed + outcome.noRouteHere).toBe(310);
    expect(outcome.tied).toBeGreaterThan(outcome.listed + outcome.noRouteHere);
  });

  it('finds no quota for a route AWS gives none: Claude Sonnet 4.5 has no on-demand quota, and no on-demand route', () => {
    expect(route(SONNET_45)).toBeUndefined();
    const withoutQuota = tied.routes.filter((entry) => !entry.requestsPerMinute && !entry.tokensPerMinute && !entry.tokensPerDay);
    expect(withoutQuota.length).toBeGreaterThan(0);
  });
});
