import { describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA_VERSION, type CatalogDocument, type ModelInRegion } from '../../src-shared/catalog/document';
import { buildMatrix, DEFAULT_VIEW, groupLabelText, matrixCsv, splitVariant, type ModelRow } from './matrix-model';
import { cellState } from './cell-kind';

const onDemand: ModelInRegion = { onDemand: true, provisioned: false, profiles: [] };
const provisioned: ModelInRegion = { onDemand: false, provisioned: true, profiles: [] };
const listed: ModelInRegion = { onDemand: false, provisioned: false, profiles: [] };

function model(modelId: string, modelName: string, providerName: string, regions: Record<string, ModelInRegion>) {
  return { modelId, modelName, providerName, inputModalities: ['TEXT'], outputModalities: ['TEXT'], streaming: true, lifecycle: 'ACTIVE', regions };
}

const document: CatalogDocument = {
  schemaVersion: CATALOG_SCHEMA_VERSION,
  generatedAt: '2026-11-23T00:00:00Z',
  source: 'api',
  regions: {
    'us-east-1': { status: 'ok' },
    'us-west-2': { status: 'ok' },
    'eu-west-1': { status: 'ok' },
    'sa-east-1': { status: 'error', error: { code: 'UnrecognizedClientException', message: 'not enabled' } },
  },
  models: {
    'amazon.nova-pro-v1:0': model('amazon.nova-pro-v1:0', 'Nova Pro', 'Amazon', { 'us-east-1': onDemand, 'eu-west-1': onDemand }),
    'amazon.nova-pro-v1:0:300k': model('amazon.nova-pro-v1:0:300k', 'Nova Pro', 'Amazon', { 'us-east-1': provisioned }),
    'amazon.nova-pro-v1:0:24k': model('amazon.nova-pro-v1:0:24k', 'Nova Pro', 'Amazon', { 'us-east-1': provisioned }),
    'anthropic.claude-v2:1': model('anthropic.claude-v2:1', 'Claude', 'Anthropic', { 'us-east-1': listed, 'us-west-2': onDemand }),
    'meta.llama-old-v1:0': model('meta.llama-old-v1:0', 'Aardvark', 'Meta', { 'us-west-2': provisioned }),
  },
  profiles: {},
};

const modelIds = (rows: ReturnType<typeof buildMatrix>['rows']) => rows.filter((row): row is ModelRow => row.kind === 'model').map((row) => row.model.modelId);

describe('the matrix rows', () => {
  it('hides models callable nowhere (provisioned or listed only) by default, and counts them', () => {
    const data = buildMatrix(document, {});
    expect(modelIds(data.rows)).toEqual(['amazon.nova-pro-v1:0', 'anthropic.claude-v2:1']);
    expect(data.hiddenProvisionedOnly).toBe(3);
  });

  it('groups variants under their base model, collapsed until expanded', () => {
    const view = { ...DEFAULT_VIEW, hideProvisionedOnly: false };
    const collapsed = buildMatrix(document, {}, view);
    expect(modelIds(collapsed.rows)).toEqual(['amazon.nova-pro-v1:0', 'anthropic.claude-v2:1', 'meta.llama-old-v1:0']);
    expect((collapsed.rows[1] as ModelRow).variants).toBe(2);
    const expanded = buildMatrix(document, {}, { ...view, expanded: new Set(['amazon.nova-pro-v1:0']) });
    expect(modelIds(expanded.rows)).toEqual(['amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0:24k', 'amazon.nova-pro-v1:0:300k', 'anthropic.claude-v2:1', 'meta.llama-old-v1:0']);
    expect(expanded.rows.filter((row) => row.kind === 'model' && row.variantOf).map((row) => (row as ModelRow).suffix)).toEqual([':24k', ':300k']);
    // The CSV keeps every filtered model, shown or folded.
    expect(matrixCsv(document, collapsed).trim().split('\n')).toHaveLength(1 + 5);
  });

  it('exports hostile catalog names as text: no formula, no control character', () => {
    const hostile: CatalogDocument = {
      ...document,
      models: {
        'evil.model-v1:0': model('evil.model-v1:0', '=HYPERLINK("http://evil","Nova")', '@Provider\u001b[31m', { 'us-east-1': onDemand }),
      },
    };
    const lines = matrixCsv(hostile, buildMatrix(hostile, {}, { ...DEFAULT_VIEW, hideProvisionedOnly: false })).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]?.startsWith(`"'@Provider[31m",evil.model-v1:0,"'=HYPERLINK(""http://evil"",""Nova"")",ACTIVE`)).toBe(true);
  });

  it('shows a variant whose base is filtered out as a row of its own', () => {
    const data = buildMatrix(document, { search: '300k' }, { ...DEFAULT_VIEW, hideProvisionedOnly: false });
    expect(modelIds(data.rows)).toEqual(['amazon.nova-pro-v1:0:300k']);
  });

  it('sorts rows by provider (with provider headings), by name, or by the number of regions where callable', () => {
    const view = { ...DEFAULT_VIEW, hideProvisionedOnly: false };
    expect(buildMatrix(document, {}, view).rows.filter((row) => row.kind === 'provider')).toHaveLength(3);
    const byName = buildMatrix(document, {}, { ...view, sort: 'name' });
    expect(byName.rows.some((row) => row.kind === 'provider')).toBe(false);
    expect(modelIds(byName.rows)).toEqual(['meta.llama-old-v1:0', 'anthropic.claude-v2:1', 'amazon.nova-pro-v1:0']);
    expect(modelIds(buildMatrix(document, {}, { ...view, sort: 'regions' }).rows)).toEqual(['amazon.nova-pro-v1:0', 'anthropic.claude-v2:1', 'meta.llama-old-v1:0']);
  });

  it('in a geography shows only the models offered somewhere in it', () => {
    const data = buildMatrix(document, { regionGroup: 'Europe' }, { ...DEFAULT_VIEW, hideProvisionedOnly: false });
    expect(modelIds(data.rows)).toEqual(['amazon.nova-pro-v1:0']);
    expect(data.columns.every((column) => column.group === 'Europe')).toBe(true);
  });

  it('collapses a geography into one summary column', () => {
    const data = buildMatrix(document, {}, { ...DEFAULT_VIEW, collapsedGroups: new Set(['Europe']) });
    const europe = data.columns.filter((column) => column.group === 'Europe');
    expect(europe).toHaveLength(1);
    expect(europe[0]).toMatchObject({ kind: 'group', regions: expect.arrayContaining(['eu-west-1', 'eu-central-1']) });
    const lastStart = data.columnStarts.at(-1);
    expect(lastStart).toBeDefined();
    expect(data.totalWidth).toBe(lastStart! + 28);
  });
});

describe('cell kinds', () => {
  it('says unknown in a failed region, listed for a model with no way to call it, not offered otherwise', () => {
    expect(cellState(document, 'amazon.nova-pro-v1:0', 'sa-east-1').kind).toBe('unknown');
    expect(cellState(document, 'anthropic.claude-v2:1', 'us-east-1').kind).toBe('listed');
    expect(cellState(document, 'anthropic.claude-v2:1', 'eu-west-1').kind).toBe('none');
    expect(cellState(document, 'amazon.nova-pro-v1:0:300k', 'us-east-1').kind).toBe('provisioned-only');
  });
});

describe('names', () => {
  it('splits a variant id into its base and its suffix', () => {
    expect(splitVariant('amazon.nova-premier-v1:0:mm')).toEqual({ base: 'amazon.nova-premier-v1:0', suffix: ':mm' });
    expect(splitVariant('amazon.nova-premier-v1:0')).toBeNull();
  });

  it('abbreviates a geography label only when its columns are too narrow for the name', () => {
    expect(groupLabelText('South America', 28)).toBe('SA');
    expect(groupLabelText('South America', 200)).toBe('South America');
    expect(groupLabelText('Middle East & Africa', 112)).toBe('MEA');
  });
});
