import type { CatalogDocument, CatalogModel } from '../../src-shared/catalog/document';
import { cellRoute, listModels, type ModelFilters } from '../../src-shared/catalog/queries';
import { COMMERCIAL_REGIONS, REGION_GROUPS, regionGroupOf, type RegionGroup } from '../../src-shared/regions';
import { cellState, isCallable } from './cell-kind';
import { csvRow } from '../../src-shared/text/csv';

/** What the matrix shows, computed once per data, filter or view change so that scrolling does no work. */

export const ROW_HEIGHT = { provider: 24, model: 30 } as const;
export const COLUMN_WIDTH = { region: 28, group: 28 } as const;

export interface MatrixFilters extends Omit<ModelFilters, 'regions' | 'region'> {
  regionGroup?: RegionGroup;
}

export type MatrixSort = 'provider' | 'name' | 'regions';

export interface MatrixView {
  sort: MatrixSort;
  /** Hide models callable nowhere in the regions shown (provisioned-only or listed-only everywhere). */
  hideProvisionedOnly: boolean;
  /** Base model ids whose variants (`:8k`, `:mm`…) are shown. */
  expanded: ReadonlySet<string>;
  collapsedGroups: ReadonlySet<string>;
}

export const DEFAULT_VIEW: MatrixView = { sort: 'provider', hideProvisionedOnly: true, expanded: new Set(), collapsedGroups: new Set() };

export type MatrixColumn =
  | { kind: 'region'; region: string; group: string }
  /** A collapsed geography: one narrow column summarising its regions. */
  | { kind: 'group'; group: string; regions: string[] };

export interface ModelRow {
  kind: 'model';
  model: CatalogModel;
  /** Number of regions shown where the model is callable on demand or through a profile. */
  callableRegions: number;
  /** For a base model: how many variants it has, and whether they are shown. */
  variants: number;
  expanded: boolean;
  /** For a variant shown under its base: the base id and the suffix (`:8k`). */
  variantOf?: string;
  suffix?: string;
}

export type MatrixRow = { kind: 'provider'; provider: string; count: number } | ModelRow;

export interface MatrixData {
  rows: MatrixRow[];
  rowStarts: number[];
  totalHeight: number;
  /** Index into `rows` of every model row, in order: keyboard navigation moves over these. */
  modelRowIndexes: number[];
  columns: MatrixColumn[];
  columnStarts: number[];
  totalWidth: number;
  /** Every region of the chosen geography, collapsed or not (the CSV's columns). */
  regions: string[];
  /** Every model that passes the filters, variants included (the CSV's rows). */
  models: CatalogModel[];
  failedRegions: Set<string>;
  hiddenProvisionedOnly: number;
}

/** An index the matrix does not have: a bug in the caller, since every index it passes comes from this same data. */
export class MatrixIndexError extends Error {
  override name = 'MatrixIndexError';
  constructor(what: string, index: number, length: number) {
    super(`The matrix has no ${what} at index ${index} (it has ${length})`);
  }
}

function itemAt<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new MatrixIndexError(what, index, items.length);
  return item;
}

export const matrixRow = (data: MatrixData, index: number): MatrixRow => itemAt(data.rows, index, 'row');
export const matrixColumn = (data: MatrixData, index: number): MatrixColumn => itemAt(data.columns, index, 'column');
export const rowStart = (data: MatrixData, index: number): number => itemAt(data.rowStarts, index, 'row start');
export const columnStart = (data: MatrixData, index: number): number => itemAt(data.columnStarts, index, 'column start');
/** The index into `rows` of the model row at a keyboard position. */
export const modelRowIndex = (data: MatrixData, position: number): number => itemAt(data.modelRowIndexes, position, 'model row');
/** Where a column ends: the next column's start, or the total width after the last one. */
export const columnEnd = (data: MatrixData, index: number): number => data.columnStarts[index + 1] ?? data.totalWidth;

export const GROUP_ABBREVIATIONS: Record<string, string> = {
  'North America': 'NA',
  'South America': 'SA',
  Europe: 'EU',
  'Middle East & Africa': 'MEA',
  'Asia Pacific': 'APAC',
  Other: 'Other',
};

/** The full geography name when it fits the label's width, else its usual abbreviation. */
export function groupLabelText(group: string, width: number): string {
  return group.length * 7 + 16 <= width ? group : (GROUP_ABBREVIATIONS[group] ?? group);
}

export function matrixRegions(document: CatalogDocument, group?: RegionGroup): string[] {
  const known = new Set([...COMMERCIAL_REGIONS, ...Object.keys(document.regions)]);
  const ordered = [...COMMERCIAL_REGIONS, ...[...known].filter((region) => !regionGroupOf(region)).sort()];
  return ordered.filter((region) => (group ? (REGION_GROUPS[group] as readonly string[]).includes(region) : true));
}

/** `amazon.nova-pro-v1:0:300k` is a variant of `amazon.nova-pro-v1:0`, with the suffix `:300k`. */
export function splitVariant(modelId: string): { base: string; suffix: string } | null {
  const parts = modelId.split(':');
  if (parts.length <= 2) return null;
  return { base: parts.slice(0, 2).join(':'), suffix: `:${parts.slice(2).join(':')}` };
}

export function buildColumns(regions: string[], collapsed: ReadonlySet<string>): MatrixColumn[] {
  const columns: MatrixColumn[] = [];
  for (const region of regions) {
    const group = regionGroupOf(region) ?? 'Other';
    if (!collapsed.has(group)) {
      columns.push({ kind: 'region', region, group });
      continue;
    }
    const last = columns[columns.length - 1];
    if (last?.kind === 'group' && last.group === group) last.regions.push(region);
    else columns.push({ kind: 'group', group, regions: [region] });
  }
  return columns;
}

function offsets(sizes: number[]): { starts: number[]; total: number } {
  const starts: number[] = [];
  let total = 0;
  for (const size of sizes) {
    starts.push(total);
    total += size;
  }
  return { starts, total };
}

const byName = (a: CatalogModel, b: CatalogModel) => a.modelName.localeCompare(b.modelName) || a.modelId.localeCompare(b.modelId);

export function buildMatrix(document: CatalogDocument, filters: MatrixFilters, view: MatrixView = DEFAULT_VIEW): MatrixData {
  const regions = matrixRegions(document, filters.regionGroup);
  const { regionGroup, ...modelFilters } = filters;
  const callable = new Map<string, number>();
  let hiddenProvisionedOnly = 0;
  const models = listModels(document, { ...modelFilters, regions }).filter((model) => {
    // A geography shows only the models offered somewhere in it.
    if (regionGroup && !regions.some((region) => model.regions[region])) return false;
    const count = regions.filter((region) => isCallable(cellRoute(document, model.modelId, region).primary)).length;
    callable.set(model.modelId, count);
    if (view.hideProvisionedOnly && count === 0) {
      hiddenProvisionedOnly++;
      return false;
    }
    return true;
  });

  const present = new Set(models.map((model) => model.modelId));
  const variantsOf = new Map<string, CatalogModel[]>();
  const tops: CatalogModel[] = [];
  for (const model of models) {
    const variant = splitVariant(model.modelId);
    if (variant && present.has(variant.base)) {
      const list = variantsOf.get(variant.base) ?? [];
      list.push(model);
      variantsOf.set(variant.base, list);
    } else tops.push(model);
  }
  if (view.sort === 'name') tops.sort(byName);
  else if (view.sort === 'regions') tops.sort((a, b) => callable.get(b.modelId)! - callable.get(a.modelId)! || byName(a, b));

  const rows: MatrixRow[] = [];
  const modelRowIndexes: number[] = [];
  const pushModel = (row: ModelRow) => {
    modelRowIndexes.push(rows.length);
    rows.push(row);
  };
  let provider: string | null = null;
  for (const model of tops) {
    if (view.sort === 'provider' && model.providerName !== provider) {
      provider = model.providerName;
      rows.push({ kind: 'provider', provider, count: tops.filter((candidate) => candidate.providerName === provider).length });
    }
    // Natural order: :8k, :20k, :1000k, then named variants.
    const variants = (variantsOf.get(model.modelId) ?? []).sort((a, b) => a.modelId.localeCompare(b.modelId, 'en', { numeric: true }));
    const expanded = variants.length > 0 && view.expanded.has(model.modelId);
    pushModel({ kind: 'model', model, callableRegions: callable.get(model.modelId)!, variants: variants.length, expanded });
    if (!expanded) continue;
    for (const variant of variants) {
      pushModel({
        kind: 'model',
        model: variant,
        callableRegions: callable.get(variant.modelId)!,
        variants: 0,
        expanded: false,
        variantOf: model.modelId,
        suffix: splitVariant(variant.modelId)!.suffix,
      });
    }
  }

  const rowLayout = offsets(rows.map((row) => ROW_HEIGHT[row.kind]));
  const columns = buildColumns(regions, view.collapsedGroups);
  const columnLayout = offsets(columns.map((column) => COLUMN_WIDTH[column.kind]));
  const failedRegions = new Set(
    Object.entries(document.regions)
      .filter(([, status]) => status.status === 'error')
      .map(([region]) => region),
  );
  return {
    rows,
    rowStarts: rowLayout.starts,
    totalHeight: rowLayout.total,
    modelRowIndexes,
    columns,
    columnStarts: columnLayout.starts,
    totalWidth: columnLayout.total,
    regions,
    models,
    failedRegions,
    hiddenProvisionedOnly,
  };
}

/** The filtered matrix as CSV: one row per model, one column per region with how it can be called there; no cell can be a formula. */
export function matrixCsv(document: CatalogDocument, data: MatrixData): string {
  const header = ['provider', 'model_id', 'model_name', 'lifecycle', ...data.regions];
  const lines = [csvRow(header)];
  for (const model of data.models) {
    const cells = data.regions.map((region) => {
      const state = cellState(document, model.modelId, region);
      const { route } = state;
      if (state.kind === 'none') return '';
      if (state.kind === 'unknown' || state.kind === 'listed') return state.kind;
      const extras = [...(route.onDemand && route.geoProfiles.length > 0 ? ['+geo'] : []), ...(route.onDemand && route.globalProfiles.length > 0 ? ['+global'] : [])];
      return [route.primary, ...extras].join(' ');
    });
    lines.push(csvRow([model.providerName, model.modelId, model.modelName, model.lifecycle, ...cells]));
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
