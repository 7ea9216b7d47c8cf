import { describe, expect, it } from 'vitest';
import { costOf } from '../../../src-shared/contract/prices';
import { buildPriceRows } from './build-table';
import type { PriceDocument } from './price-document';
import { allSamplePriceDocuments, bundledCatalogDocument, samplePriceDocuments } from './sample-documents';

const models = Object.values(bundledCatalogDocument().models);
const table = buildPriceRows(allSamplePriceDocuments(), models);
const row = (modelId: string, region: string, routeKind: string, tier = 'standard') =>
  table.rows.find((candidate) => candidate.modelId === modelId && candidate.region === region && candidate.routeKind === routeKind && candidate.tier === tier);
const bySku = (sku: string) => allSamplePriceDocuments().find((document) => document.product.sku === sku)!;
/** A real document with its price changed as a test needs (a copy; the sample stays as recorded). */
const edited = (sku: string, edit: (document: PriceDocument) => void): PriceDocument => {
  const copy = structuredClone(bySku(sku));
  edit(copy);
  return copy;
};
const onlyDimension = (document: PriceDocument) => Object.values(Object.values(document.terms.OnDemand!)[0]!.priceDimensions)[0]!;

describe('price table from the real Price List documents', () => {
  it('prices Claude Sonnet 4 through the global profile from us-east-1 at $3, $15, $0.30 and $3.75 per million tokens (AmazonBedrockService, 1K-token units)', () => {
    expect(row('anthropic.claude-sonnet-4-20250514-v1:0', 'us-east-1', 'global')).toEqual({
      modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
      region: 'us-east-1',
      routeKind: 'global',
      tier: 'standard',
      perMillion: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      serviceCode: 'AmazonBedrockService',
      skus: ['DFNKC625U62DCYN7', 'F2GQHT6KUA5NDVJD', 'TV7N8ENQSUSUMJ54', 'V7EV5REESBYGJFPM'],
    });
    // The batch input price is its own tier, not the standard one.
    expect(row('anthropic.claude-sonnet-4-20250514-v1:0', 'us-east-1', 'global', 'batch')?.perMillion).toEqual({ input: 1.5, output: null, cacheRead: null, cacheWrite: null });
  });

  it('reads Marketplace "Units" as per million tokens from the description only, with _Global as the global route', () => {
    // "AWS Marketplace software usage|ap-northeast-2|Million Input Tokens Global", USD 1.00: $1 per million.
    expect(row('anthropic.claude-haiku-4-5-20251001-v1:0', 'ap-northeast-2', 'global')?.perMillion.input).toBe(1);
    // "Million Response Tokens Regional": the non-global price, in-region.
    expect(row('anthropic.claude-haiku-4-5-20251001-v1:0', 'eu-south-2', 'in-region')?.perMillion.output).toBe(5.5);
    expect(row('anthropic.claude-3-haiku-20240307-v1:0', 'eu-central-2', 'in-region', 'batch')?.perMillion.output).toBe(0.625);
  });

  it('converts 1K-token prices exactly, without floating-point residue', () => {
    expect(row('amazon.nova-micro-v1:0', 'eu-west-2', 'in-region')?.perMillion.input).toBe(0.049);
    expect(row('amazon.nova-2-lite-v1:0', 'ca-west-1', 'global', 'priority')?.perMillion.cacheRead).toBe(1.4875);
    expect(row('openai.gpt-oss-120b', 'sa-east-1', 'in-region', 'priority')?.perMillion.input).toBe(0.315);
  });

  it('reads the tier from the usage type: flex, priority and batch are rows of their own', () => {
    expect(row('amazon.nova-2-lite-v1:0', 'eu-south-1', 'in-region', 'flex')?.perMillion.output).toBe(2.2055);
    expect(row('amazon.nova-2-lite-v1:0', 'eu-south-1', 'in-region')).toBeUndefined();
    expect(row('nvidia.nemotron-nano-3-30b', 'eu-west-1', 'in-region', 'priority')?.perMillion.output).toBe(0.49);
  });

  it('prices a geo profile at the source region’s regional price, marked as derived, when the list has no geo price', () => {
    const regional = row('meta.llama3-2-3b-instruct-v1:0', 'eu-central-1', 'in-region')!;
    expect(row('meta.llama3-2-3b-instruct-v1:0', 'eu-central-1', 'geo')).toEqual({ ...regional, routeKind: 'geo', derivedFrom: 'in-region' });
    // A global price never stands in for geo or in-region, nor the other way round.
    expect(row('anthropic.claude-sonnet-4-20250514-v1:0', 'us-east-1', 'geo')).toBeUndefined();
    expect(row('anthropic.claude-haiku-4-5-20251001-v1:0', 'ap-northeast-2', 'in-region')).toBeUndefined();
  });

  it('uses a listed geo price over the regional one', () => {
    const geo = edited('F2GQHT6KUA5NDVJD', (document) => {
      document.product.sku = 'GEOTESTSKU';
      document.product.attributes.usagetype = 'USE1-Claude4Sonnet-input-tokens-cross-region-geo';
      onlyDimension(document).pricePerUnit.USD = '0.0033000000';
    });
    const regional = edited('F2GQHT6KUA5NDVJD', (document) => {
      document.product.sku = 'REGIONALTESTSKU';
      document.product.attributes.usagetype = 'USE1-Claude4Sonnet-input-tokens';
      onlyDimension(document).pricePerUnit.USD = '0.0031000000';
    });
    const rows = buildPriceRows([geo, regional], models).rows.filter((one) => one.modelId === 'anthropic.claude-sonnet-4-20250514-v1:0');
    expect(rows.map((one) => [one.routeKind, one.perMillion.input, one.derivedFrom ?? 'listed'])).toEqual([
      ['geo', 3.3, 'listed'],
      ['in-region', 3.1, 'listed'],
    ]);
  });

  it('leaves a price the list does not give unknown (null), never 0, and costOf then says unknown', () => {
    // The real list publishes Claude 3 Haiku's us-east-1 input price in AmazonBedrock but no output price.
    const haiku = row('anthropic.claude-3-haiku-20240307-v1:0', 'us-east-1', 'in-region')!;
    expect(haiku.perMillion).toEqual({ input: 0.25, output: null, cacheRead: null, cacheWrite: null });
    expect(costOf(haiku.perMillion, { input: 1_000, output: 0 })).toBe(0.00025);
    expect(costOf(haiku.perMillion, { input: 1_000, output: 10 })).toBeNull();
  });

  it('lists the real GovCloud Marketplace product whose description names no unit as unknown-unit, tied to its model, and converts nothing', () => {
    expect(table.unused.find((product) => product.sku === 'RTXQ69A32WNEEYMX')).toEqual({
      serviceCode: 'AmazonBedrockFoundationModels',
      sku: 'RTXQ69A32WNEEYMX',
      name: 'Claude 3.5 Sonnet',
      regionCode: 'us-gov-west-1',
      usageType: 'UGW1-MP:UGW1_InputTokenCount-Units',
      reason: 'unknown-unit',
      detail: 'Units ("AWS Marketplace software usage|us-gov-west-1|InputTokenCount")',
      modelIds: ['anthropic.claude-3-5-sonnet-20240620-v1:0'],
    });
    expect(table.rows.some((one) => one.region === 'us-gov-west-1')).toBe(false);
  });

  it('lists a product in another currency or an unknown unit, and does not convert it', () => {
    const yuan = edited('KGHQD8ZHB5468Z38', (document) => {
      onlyDimension(document).pricePerUnit = { CNY: '0.0043000000' };
    });
    const perRequest = edited('HKZGRBRHTJKZ2MBM', (document) => {
      onlyDimension(document).unit = 'Requests';
    });
    const built = buildPriceRows([yuan, perRequest], models);
    expect(built.rows).toEqual([]);
    expect(built.unused.map(({ sku, reason, detail }) => ({ sku, reason, detail }))).toEqual([
      { sku: 'KGHQD8ZHB5468Z38', reason: 'unknown-currency', detail: 'CNY' },
      { sku: 'HKZGRBRHTJKZ2MBM', reason: 'unknown-unit', detail: 'Requests ("$0.00015 per 1K input tokens for Llama 3.2 3B in US East (N. Virginia)")' },
    ]);
  });

  it('leaves a price two products give differently unknown and lists both, rather than picking one', () => {
    const other = edited('F2GQHT6KUA5NDVJD', (document) => {
      document.product.sku = 'SECONDSKU';
      onlyDimension(document).pricePerUnit.USD = '0.0040000000';
    });
    const built = buildPriceRows([bySku('F2GQHT6KUA5NDVJD'), other, bySku('TV7N8ENQSUSUMJ54')], models);
    expect(built.rows.find((one) => one.routeKind === 'global')?.perMillion).toEqual({ input: null, output: 15, cacheRead: null, cacheWrite: null });
    expect(built.unused.map(({ sku, reason }) => [sku, reason])).toEqual([
      ['F2GQHT6KUA5NDVJD', 'conflicting-price'],
      ['SECONDSKU', 'conflicting-price'],
    ]);
  });

  it('lists products whose model is not in the catalog, and keeps unreadable documents from stopping the rest', () => {
    expect(table.unused.filter((product) => product.reason === 'no-model').map((product) => product.name)).toEqual(
      expect.arrayContaining(['Nova 2.0 Pro', 'Nova 2.0 Omni', 'Cohere Embed Model 3 - Multilingual']),
    );
    const built = buildPriceRows(['{not json', { product: { sku: 'X1' } }, bySku('KGHQD8ZHB5468Z38')], models);
    expect(built.unused.map(({ sku, reason, detail }) => [sku, reason, detail])).toEqual([
      ['', 'unreadable-price', 'not JSON'],
      ['X1', 'unreadable-price', 'not a price document'],
    ]);
    expect(built.rows.filter((one) => one.routeKind === 'in-region').map((one) => one.perMillion.output)).toEqual([0.6, 0.6]);
  });

  it('counts what is not a per-token text price (provisioned throughput, reserved capacity, guardrails, long context, image tokens) apart from the unused', () => {
    expect(table.outOfScope).toEqual({
      'image, video or audio tokens': 3,
      'not a token price': 4,
      'provisioned throughput': 3,
      'long context': 8,
      'reserved capacity': 12,
      '1-hour cache write': 2,
    });
    expect(table.products).toEqual({ read: 79, priced: 41, unused: 6, outOfScope: 32 });
  });

  it('dates the table by the latest publication date of its documents', () => {
    expect(table.asOf).toBe('2026-01-19T13:42:01Z');
    expect(buildPriceRows(samplePriceDocuments('AmazonBedrockService'), models).asOf).toBe('2025-12-29T23:12:20Z');
  });
});
