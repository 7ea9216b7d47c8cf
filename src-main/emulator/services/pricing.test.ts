import { readFileSync } from 'node:fs';
import { DescribeServicesCommand, GetAttributeValuesCommand, GetProductsCommand, PricingClient, type Filter } from '@aws-sdk/client-pricing';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { poolPerFile } from '../../testing/pool-per-file';
import { classifyAwsError } from '../../core/aws/errors';
import { PRICING } from '../../core/aws/services';
import { credentials, rejection } from '../emulator-harness';
import { parseScenario, type ScenarioInput } from '../scenario';

/** The emulator's Price List API through the real `@aws-sdk/client-pricing`, over loopback HTTP. */

interface PriceDocument {
  product: { sku: string; productFamily?: string; attributes: Record<string, string> };
  serviceCode: string;
  terms: { OnDemand: Record<string, { offerTermCode: string; priceDimensions: Record<string, { unit: string; description: string; pricePerUnit: Record<string, string> }> }> };
  version: string;
  publicationDate: string;
}

const emulator = emulatorPerFile();
const clients = poolPerFile(emulator, 'AKIDPRICES');
const direct: PricingClient[] = [];
afterEach(() => {
  for (const client of direct.splice(0)) client.destroy();
});

const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));
/** The app's pool signs the Price List API for us-east-1, whatever region it works in. */
const pricing = () => clients().client(PRICING, 'eu-west-3');
/** A client signed for a region of our choosing, as a caller that ignores where the API answers would be. */
const pricingIn = (region: string) => {
  const client = new PricingClient({ region, endpoint: emulator.url, credentials, maxAttempts: 1 });
  direct.push(client);
  return client;
};

const recorded = (code: string) =>
  (JSON.parse(readFileSync(new URL(`../recordings/pricing.${code}.get-products.sample.json`, import.meta.url), 'utf8')) as { products: PriceDocument[] }).products;

async function allProducts(serviceCode: string, filters: Filter[] = [], maxResults?: number): Promise<{ documents: PriceDocument[]; pages: number[] }> {
  const client = await pricing();
  const documents: PriceDocument[] = [];
  const pages: number[] = [];
  let token: string | undefined;
  do {
    const answer = await client.send(new GetProductsCommand({ ServiceCode: serviceCode, Filters: filters, FormatVersion: 'aws_v1', ...(maxResults ? { MaxResults: maxResults } : {}), ...(token ? { NextToken: token } : {}) }));
    expect(answer.FormatVersion).toBe('aws_v1');
    pages.push(answer.PriceList!.length);
    documents.push(...answer.PriceList!.map((item: unknown) => JSON.parse(String(item)) as PriceDocument));
    token = answer.NextToken;
  } while (token);
  return { documents, pages };
}

const termMatch = (Field: string, Value: string): Filter => ({ Type: 'TERM_MATCH', Field, Value });
const priceOf = (document: PriceDocument) => Object.values(Object.values(document.terms.OnDemand)[0]!.priceDimensions)[0]!;

describe('Price List GetProducts', () => {
  it('pages 100 at a time (or MaxResults, or the scenario page size), every product once, the recorded ones unmodified', async () => {
    const { documents, pages } = await allProducts('AmazonBedrock');
    expect(pages.slice(0, -1).every((size) => size === 100)).toBe(true);
    expect(new Set(documents.map((document) => document.product.sku)).size).toBe(documents.length);
    const real = recorded('AmazonBedrock');
    expect(documents.slice(0, real.length)).toEqual(real);
    expect(documents.find((document) => document.product.sku === 'KMZFVEBPVFAP5FUF')!.product.attributes.usagetype).toBe('USE1-Claude3Haiku-input-tokens');
    given({ pricing: { pageSize: 7 } });
    const small = await allProducts('AmazonBedrockService', [], 50);
    expect(small.pages).toEqual([7, 7, 6]);
    expect(small.documents).toEqual(recorded('AmazonBedrockService'));
  });

  it('filters by regionCode: only that region, and all of it', async () => {
    const everything = (await allProducts('AmazonBedrockFoundationModels')).documents;
    const { documents } = await allProducts('AmazonBedrockFoundationModels', [termMatch('regionCode', 'eu-central-1')], 30);
    expect(documents.length).toBeGreaterThan(30);
    expect(documents.every((document) => document.product.attributes.regionCode === 'eu-central-1')).toBe(true);
    expect(documents.map((document) => document.product.sku)).toEqual(everything.filter((document) => document.product.attributes.regionCode === 'eu-central-1').map((document) => document.product.sku));
    const twoFilters = await allProducts('AmazonBedrockFoundationModels', [termMatch('regionCode', 'eu-central-1'), termMatch('servicename', 'Claude Sonnet 4.5 (Amazon Bedrock Edition)')]);
    expect(twoFilters.documents.length).toBeGreaterThan(0);
    expect(twoFilters.documents.every((document) => document.product.attributes.servicename === 'Claude Sonnet 4.5 (Amazon Bedrock Edition)')).toBe(true);
  });

  it('prices the catalog models it serves in the real grammar: in-region per 1K tokens in AmazonBedrock', async () => {
    const { documents } = await allProducts('AmazonBedrock', [termMatch('regionCode', 'us-east-1'), termMatch('model', 'Nova Lite')]);
    const byUsage = new Map(documents.map((document) => [document.product.attributes.usagetype, document] as const));
    const input = byUsage.get('USE1-NovaLite-input-tokens')!;
    expect(Object.keys(input)).toEqual(Object.keys(recorded('AmazonBedrock')[0]!));
    expect(input.product).toMatchObject({ productFamily: 'Amazon Bedrock', attributes: { regionCode: 'us-east-1', servicecode: 'AmazonBedrock', location: 'US East (N. Virginia)', model: 'Nova Lite', servicename: 'Amazon Bedrock' } });
    expect(input.product.sku).toMatch(/^[A-Z0-9]{16}$/);
    expect(Object.values(input.terms.OnDemand)[0]!.offerTermCode).toBe('JRTCKXETXF');
    expect(priceOf(input)).toMatchObject({ unit: '1K tokens', pricePerUnit: { USD: '0.0000600000' } });
    expect(priceOf(byUsage.get('USE1-NovaLite-output-tokens')!).pricePerUnit.USD).toBe('0.0002400000');
  });

  it('prices Anthropic models as Marketplace items per million tokens, global apart from regional, cache reads and writes too', async () => {
    const sonnet = (await allProducts('AmazonBedrockFoundationModels', [termMatch('regionCode', 'us-east-1'), termMatch('servicename', 'Claude Sonnet 4.5 (Amazon Bedrock Edition)')])).documents;
    const usd = (usagetype: string) => priceOf(sonnet.find((document) => document.product.attributes.usagetype === usagetype)!);
    expect(usd('USE1-MP:USE1_InputTokenCount-Units')).toMatchObject({ unit: 'Units', description: 'AWS Marketplace software usage|us-east-1|Million Input Tokens Regional', pricePerUnit: { USD: '3.3000000000' } });
    expect(usd('USE1-MP:USE1_InputTokenCount_Global-Units').pricePerUnit.USD).toBe('3.0000000000');
    expect(usd('USE1-MP:USE1_OutputTokenCount_Global-Units').pricePerUnit.USD).toBe('15.0000000000');
    expect(usd('USE1-MP:USE1_CacheReadInputTokenCount_Global-Units').pricePerUnit.USD).toBe('0.3000000000');
    expect(usd('USE1-MP:USE1_CacheWriteInputTokenCount_Global-Units').pricePerUnit.USD).toBe('3.7500000000');
    expect(sonnet.every((document) => document.product.productFamily === undefined && Object.values(document.terms.OnDemand)[0]!.offerTermCode === '4799GE89SK')).toBe(true);
  });

  it('serves extra raw documents as they are, and refuses a format, a token or a service code it does not know', async () => {
    const foreign = { product: { sku: 'EXTRA0000000001', attributes: { regionCode: 'us-east-1', usagetype: 'USE1-Mystery-input-tokens', model: 'Mystery' } }, serviceCode: 'AmazonBedrock', terms: { OnDemand: { x: { priceDimensions: { y: { unit: 'Quanta', pricePerUnit: { EUR: '1.0' } } } } } } };
    given({ pricing: { extra: [foreign] } });
    const { documents } = await allProducts('AmazonBedrock', [termMatch('model', 'Mystery')]);
    expect(documents).toEqual([foreign]);
    const client = await pricing();
    expect((await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonBedrock', FormatVersion: 'aws_v2' })))).name).toBe('InvalidParameterException');
    expect((await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonBedrock', NextToken: 'bm9wZQ==' })))).name).toBe('InvalidNextTokenException');
    expect((await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonBedrock', MaxResults: 101 })))).name).toBe('ValidationException');
    expect((await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonNothing' })))).name).toBe('NotFoundException');
  });
});

describe('where and whether the Price List answers', () => {
  it('answers in us-east-1, eu-central-1 and ap-south-1 only; elsewhere the connection fails without an HTTP answer', async () => {
    for (const region of ['eu-central-1', 'ap-south-1']) {
      expect((await pricingIn(region).send(new GetProductsCommand({ ServiceCode: 'AmazonBedrockService', MaxResults: 1 }))).PriceList).toHaveLength(1);
    }
    const nowhere = await rejection(pricingIn('eu-west-1').send(new GetProductsCommand({ ServiceCode: 'AmazonBedrock' })));
    expect(nowhere.$metadata?.httpStatusCode).toBeUndefined();
    expect(nowhere.code).toBe('ECONNRESET');
  });

  it('denied answers AccessDeniedException, failing InternalErrorException (500)', async () => {
    given({ pricing: { denied: true } });
    const denied = await rejection((await pricing()).send(new GetProductsCommand({ ServiceCode: 'AmazonBedrock' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(classifyAwsError(denied).errorClass).toBe('accessDenied');
    given({ pricing: { failing: true } });
    const failing = await rejection((await pricing()).send(new GetProductsCommand({ ServiceCode: 'AmazonBedrock' })));
    expect(failing.name).toBe('InternalErrorException');
    expect(failing.$metadata?.httpStatusCode).toBe(500);
    expect(emulator.stats().requests['us-east-1']).toEqual({ 'pricing:GetProducts': 2 });
  });
});

describe('DescribeServices and GetAttributeValues', () => {
  it('lists the three Bedrock service codes with their attribute names, and the values of an attribute', async () => {
    const client = await pricing();
    const { Services } = await client.send(new DescribeServicesCommand({ FormatVersion: 'aws_v1' }));
    expect(Services!.map((service) => service.ServiceCode)).toEqual(['AmazonBedrock', 'AmazonBedrockService', 'AmazonBedrockFoundationModels']);
    expect(Services![0]!.AttributeNames).toEqual(expect.arrayContaining(['regionCode', 'usagetype', 'model', 'inferenceType']));
    const { AttributeValues } = await client.send(new GetAttributeValuesCommand({ ServiceCode: 'AmazonBedrock', AttributeName: 'regionCode' }));
    expect(AttributeValues!.map((value) => value.Value)).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-east-1']));
  });
});
