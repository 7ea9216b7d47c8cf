import { describe, expect, it } from 'vitest';
import type { CatalogDocument, CatalogProfile } from '../../src-shared/catalog/document';
import { routingGrid, servedFrom, visibleProfiles, type ProfileFilters } from './profile-model';

function profile(profileId: string, scope: string, modelId: string, routes: Record<string, string[]>): CatalogProfile {
  return { profileId, name: profileId, description: '', scope, modelId, routes, ...(scope === 'global' ? { global: true } : {}) };
}

const document: CatalogDocument = {
  schemaVersion: 1,
  generatedAt: '2026-08-21T00:00:00.000Z',
  source: 'api',
  regions: {},
  models: {
    'a.zeta-v1': { modelId: 'a.zeta-v1', modelName: 'Zeta', providerName: 'A', inputModalities: [], outputModalities: [], streaming: true, lifecycle: 'ACTIVE', regions: {} },
    'a.alpha-v1': { modelId: 'a.alpha-v1', modelName: 'Alpha', providerName: 'A', inputModalities: [], outputModalities: [], streaming: true, lifecycle: 'ACTIVE', regions: {} },
  },
  profiles: {
    'us.a.zeta-v1': profile('us.a.zeta-v1', 'us', 'a.zeta-v1', { 'us-west-2': ['us-west-2', 'us-east-1'], 'us-east-1': ['us-east-1', 'us-east-2'] }),
    'eu.a.alpha-v1': profile('eu.a.alpha-v1', 'eu', 'a.alpha-v1', { 'eu-west-1': ['eu-west-1', 'eu-central-1'] }),
    'global.a.alpha-v1': profile('global.a.alpha-v1', 'global', 'a.alpha-v1', { 'us-east-1': ['us-east-1'], 'eu-west-1': ['eu-west-1'], 'ap-south-1': ['ap-south-1'] }),
  },
};

const all: ProfileFilters = { search: '', scope: '', callableFrom: '', sort: 'scope' };
const ids = (filters: Partial<ProfileFilters>) => visibleProfiles(document, { ...all, ...filters }).map((candidate) => candidate.profileId);

function storedProfile(profileId: string) {
  const found = document.profiles[profileId];
  if (!found) throw new Error(`${profileId} is not in the test catalog`);
  return found;
}

describe('routingGrid', () => {
  it('puts sources and destinations in geography order and answers each pair', () => {
    const grid = routingGrid(document, storedProfile('us.a.zeta-v1'));
    expect(grid.sources).toEqual(['us-east-1', 'us-west-2']);
    expect(grid.destinations).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    expect(grid.serves('us-west-2', 'us-east-1')).toBe(true);
    expect(grid.serves('us-west-2', 'us-east-2')).toBe(false);
    expect(servedFrom(grid, 'us-east-1')).toEqual({ kind: 'regions', regions: ['us-east-1', 'us-east-2'] });
    expect(servedFrom(grid, 'eu-west-1')).toEqual({ kind: 'not-callable' });
  });

  it('a global profile has sources and may be served anywhere', () => {
    const grid = routingGrid(document, storedProfile('global.a.alpha-v1'));
    expect(grid.global).toBe(true);
    expect(grid.destinations).toEqual([]);
    expect(servedFrom(grid, 'ap-south-1')).toEqual({ kind: 'anywhere' });
    expect(servedFrom(grid, 'ca-west-1')).toEqual({ kind: 'not-callable' });
  });
});

describe('visibleProfiles', () => {
  it('sorts by scope (geo before global), by model name, or by the number of source regions', () => {
    expect(ids({ sort: 'scope' })).toEqual(['eu.a.alpha-v1', 'us.a.zeta-v1', 'global.a.alpha-v1']);
    expect(ids({ sort: 'model' })).toEqual(['eu.a.alpha-v1', 'global.a.alpha-v1', 'us.a.zeta-v1']);
    expect(ids({ sort: 'sources' })).toEqual(['global.a.alpha-v1', 'us.a.zeta-v1', 'eu.a.alpha-v1']);
  });

  it('keeps the profiles callable from a region, of a scope, or matching a search on the model name', () => {
    expect(ids({ callableFrom: 'eu-west-1' })).toEqual(['eu.a.alpha-v1', 'global.a.alpha-v1']);
    expect(ids({ callableFrom: 'constructor' })).toEqual([]);
    expect(ids({ scope: 'global' })).toEqual(['global.a.alpha-v1']);
    expect(ids({ search: 'zeta' })).toEqual(['us.a.zeta-v1']);
  });
});
