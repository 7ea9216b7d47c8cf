import type { CatalogDocument, CatalogModel } from '../../src-shared/catalog/document';
import { cellRoute, listModels, type CallRoute, type ModelFilters } from '../../src-shared/catalog/queries';
import { COMMERCIAL_REGIONS, REGION_GROUPS, regionGroupOf, type RegionGroup } from '../../src-shared/regions';

/** What the matrix shows, computed once per data or filter change so scrolling does no work. */

export const ROUTE_STYLE: Record<CallRoute, { symbol: string; label: string; short: string }> = {
  'on-demand': { symbol: '●', label: 'On demand: call the bare model id here', short: 'on-demand' },
  'geo-profile': { symbol: '◆', label: 'Geo inference profile only (stays within its geography)', short: 'geo profile' },
  'global-profile': { symbol: '◎', label: 'Global inference profile only (any commercial region)', short: 'global profile' },
  'provisioned-only': { symbol: 'P', label: 'Provisioned throughput only', short: 'provisioned only' },
  none: { symbol: '·', label: 'Not offered in this region', short: 'not offered' },
};

export interface MatrixFilters extends Omit<ModelFilters, 'regions' | 'region'> {
  regionGroup?: RegionGroup;
}

export type MatrixRow = { kind: 'provider'; provider: string; count: number } | { kind: 'model'; model: CatalogModel };

export interface MatrixData {
  rows: MatrixRow[];
  /** Index into `rows` of every model row, in order: keyboard navigation moves over these. */
  modelRowIndexes: number[];
  regions: string[];
  failedRegions: Set<string>;
}

export function matrixRegions(document: CatalogDocument, group?: RegionGroup): string[] {
  const known = new Set([...COMMERCIAL_REGIONS, ...Object.keys(document.regions)]);
  const ordered = [...COMMERCIAL_REGIONS, ...[...known].filter((region) => !regionGroupOf(region)).sort()];
  return ordered.filter((region) => (group ? (REGION_GROUPS[group] as readonly string[]).includes(region) : true));
}

export function buildMatrix(document: CatalogDocument, filters: MatrixFilters): MatrixData {
  const regions = matrixRegions(document, filters.regionGroup);
  const { regionGroup: _group, ...modelFilters } = filters;
  const models = listModels(document, { ...modelFilters, regions });
  const rows: MatrixRow[] = [];
  const modelRowIndexes: number[] = [];
  const perProvider = new Map<string, number>();
  for (const model of models) perProvider.set(model.providerName, (perProvider.get(model.providerName) ?? 0) + 1);
  let provider: string | null = null;
  for (const model of models) {
    if (model.providerName !== provider) {
      provider = model.providerName;
      rows.push({ kind: 'provider', provider, count: perProvider.get(provider)! });
    }
    modelRowIndexes.push(rows.length);
    rows.push({ kind: 'model', model });
  }
  const failedRegions = new Set(
    Object.entries(document.regions)
      .filter(([, status]) => status.status === 'error')
      .map(([region]) => region),
  );
  return { rows, modelRowIndexes, regions, failedRegions };
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The filtered matrix as CSV: one row per model, one column per region with how it can be called there. */
export function matrixCsv(document: CatalogDocument, data: MatrixData): string {
  const header = ['provider', 'model_id', 'model_name', 'lifecycle', ...data.regions];
  const lines = [header.join(',')];
  for (const row of data.rows) {
    if (row.kind !== 'model') continue;
    const { model } = row;
    const cells = data.regions.map((region) => {
      const route = cellRoute(document, model.modelId, region);
      const extras = [...(route.onDemand && route.geoProfiles.length > 0 ? ['+geo'] : []), ...(route.onDemand && route.globalProfiles.length > 0 ? ['+global'] : [])];
      return route.primary === 'none' ? '' : [route.primary, ...extras].join(' ');
    });
    lines.push([model.providerName, model.modelId, model.modelName, model.lifecycle, ...cells].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function download(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
