import { CATALOG_SCHEMA_VERSION, type CatalogDocument, type ModelInRegion } from '../../src-shared/catalog/document';
import type { CatalogSnapshot } from '../../src-shared/contract';

/** A catalog small enough to read in a test: Haiku on demand in two regions, Haiku 4.5 only through a US profile. */

export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
export const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
export const HAIKU_45_US = `us.${HAIKU_45}`;

const onDemand: ModelInRegion = { onDemand: true, provisioned: false, profiles: [] };
const profileOnly: ModelInRegion = { onDemand: false, provisioned: false, profiles: [HAIKU_45_US] };

function model(modelId: string, modelName: string, regions: Record<string, ModelInRegion>) {
  return { modelId, modelName, providerName: 'Anthropic', inputModalities: ['TEXT'], outputModalities: ['TEXT'], streaming: true, lifecycle: 'ACTIVE', regions };
}

export const SMALL_CATALOG: CatalogDocument = {
  schemaVersion: CATALOG_SCHEMA_VERSION,
  generatedAt: '2026-11-23T00:00:00Z',
  source: 'api',
  regions: { 'us-east-1': { status: 'ok' }, 'us-west-2': { status: 'ok' }, 'eu-west-1': { status: 'ok' } },
  models: {
    [HAIKU]: model(HAIKU, 'Claude 3 Haiku', { 'us-east-1': onDemand, 'eu-west-1': onDemand }),
    [HAIKU_45]: model(HAIKU_45, 'Claude Haiku 4.5', { 'us-east-1': profileOnly, 'us-west-2': profileOnly }),
  },
  profiles: {
    [HAIKU_45_US]: {
      profileId: HAIKU_45_US,
      name: 'US Claude Haiku 4.5',
      description: 'Routes within the US',
      scope: 'us',
      modelId: HAIKU_45,
      routes: { 'us-east-1': ['us-east-1', 'us-west-2'], 'us-west-2': ['us-east-1', 'us-west-2'] },
    },
  },
};

/** The small catalog as `getCatalog` answers it, simulated and fresh. */
export const SMALL_SNAPSHOT: CatalogSnapshot = {
  document: SMALL_CATALOG,
  meta: { source: 'api', simulated: true, ageMs: 0, cacheMode: 'memory', cachePath: null, warnings: [] },
};
