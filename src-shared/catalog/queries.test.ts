import { describe, expect, it } from 'vitest';
import type { CatalogDocument, CatalogModel } from './document';
import { bestRegions, cellRoute, getModel, howToCall, listModels, modelById, whereToCall } from './queries';

function model(modelId: string, regions: CatalogModel['regions']): CatalogModel {
  return {
    modelId,
    modelName: modelId,
    providerName: 'Test',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    streaming: true,
    lifecycle: 'ACTIVE',
    regions,
  };
}

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/** One model reached every way there is, in regions chosen so that each answer of `howToCall` appears once. */
const document: CatalogDocument = {
  schemaVersion: 1,
  generatedAt: '2026-08-21T00:00:00.000Z',
  source: 'api',
  regions: {
    'us-east-1': { status: 'ok' },
    'us-east-2': { status: 'ok' },
    'eu-west-1': { status: 'ok' },
    'eu-west-2': { status: 'ok' },
    'ap-south-1': { status: 'ok' },
    'sa-east-1': { status: 'ok' },
    'ca-central-1': { status: 'ok' },
    'me-south-1': { status: 'error', error: { code: 'UnrecognizedClientException', message: 'not enabled' } },
  },
  models: {
    [HAIKU]: model(HAIKU, {
      'us-east-1': { onDemand: true, provisioned: true, profiles: [`us.${HAIKU}`, `global.${HAIKU}`] },
      'us-east-2': { onDemand: false, provisioned: false, profiles: [`us.${HAIKU}`, `global.${HAIKU}`] },
      'eu-west-1': { onDemand: false, provisioned: false, profiles: [`global.${HAIKU}`] },
      'eu-west-2': { onDemand: false, provisioned: true, profiles: [] },
      'ap-south-1': { onDemand: false, provisioned: false, profiles: [] },
      // A failed region may still carry last known data: it must read "unknown", not what the stale copy says.
      'me-south-1': { onDemand: true, provisioned: false, profiles: [] },
    }),
  },
  profiles: {
    [`us.${HAIKU}`]: { profileId: `us.${HAIKU}`, name: 'US Haiku', description: '', scope: 'us', modelId: HAIKU, routes: { 'us-east-1': ['us-east-1', 'us-west-2'], 'us-east-2': ['us-east-1', 'us-east-2'] } },
    [`global.${HAIKU}`]: { profileId: `global.${HAIKU}`, name: 'Global Haiku', description: '', scope: 'global', modelId: HAIKU, routes: { 'us-east-1': [] }, global: true },
  },
};

describe('howToCall', () => {
  it.each([
    ['us-east-1', 'on-demand', [HAIKU, `us.${HAIKU}`, `global.${HAIKU}`]],
    ['us-east-2', 'geo-profile', [`us.${HAIKU}`, `global.${HAIKU}`]],
    ['eu-west-1', 'global-profile', [`global.${HAIKU}`]],
    ['eu-west-2', 'provisioned', []],
    ['ap-south-1', 'listed', []],
    ['sa-east-1', 'none', []],
    ['me-south-1', 'unknown', []],
  ])('in %s says %s with the ids to invoke', (region, how, invokeIds) => {
    expect(howToCall(document, HAIKU, region)).toEqual({ how, invokeIds });
  });

  it('lists every covered region in geography order', () => {
    const where = whereToCall(document, HAIKU);
    expect(where.modelId).toBe(HAIKU);
    expect(Object.keys(where.regions)).toEqual(['us-east-1', 'us-east-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'me-south-1', 'ap-south-1']);
  });
});

describe('model ids are looked up as own properties only', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%s is an unknown model, not a function', (id) => {
    expect(modelById(document, id)).toBeUndefined();
    expect(getModel(document, id)).toBeNull();
    expect(cellRoute(document, id, 'us-east-1').primary).toBe('none');
    expect(howToCall(document, id, 'us-east-1')).toEqual({ how: 'none', invokeIds: [] });
    expect(bestRegions(document, id, 'us-east-1')).toEqual([]);
  });

  it('a region named like a prototype member is not a region the model is in', () => {
    expect(cellRoute(document, HAIKU, 'constructor').primary).toBe('none');
    expect(listModels(document, { region: 'constructor' })).toEqual([]);
    const routes = bestRegions(document, HAIKU, '__proto__');
    expect(routes.map((route) => route.kind)).not.toContain('geo-profile');
    expect(routes.every((route) => route.callRegion in document.regions)).toBe(true);
  });
});
