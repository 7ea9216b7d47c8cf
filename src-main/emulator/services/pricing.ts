import { z } from 'zod';
import { PRICE_SERVICE_CODES, type PriceDocument } from '../price-data';
import { perRegion, sampleDelay, sleep } from '../timing';
import { page, parseInput, sendJsonResult } from './json-protocol';
import { QueryError } from './query-protocol';
import type { EmulatedService, ServiceCall } from './service';

/**
 * The AWS Price List API (awsJson 1.1, `AWSPriceListService`, signed `pricing`): GetProducts (the price documents of
 * a service code as JSON strings, filtered, at most 100 a page), DescribeServices and GetAttributeValues, over the
 * products of price-data.ts and the scenario's `pricing.extra`. AWS answers it only at a few regional endpoints
 * (api.pricing.us-east-1/eu-central-1/ap-south-1.amazonaws.com); elsewhere the endpoint does not exist, which a
 * client meets as a failed connection: the emulator closes the connection without an answer.
 */

export const PRICE_LIST_REGIONS: readonly string[] = ['us-east-1', 'eu-central-1', 'ap-south-1'];
const FORMAT_VERSION = 'aws_v1';
const MAX_PRODUCTS = 100;

const Filter = z.object({
  Type: z.enum(['TERM_MATCH', 'EQUALS', 'CONTAINS', 'ANY_OF', 'NONE_OF']),
  Field: z.string().min(1).max(1024),
  Value: z.string().min(1).max(1024),
});
const GetProductsInput = z.object({
  ServiceCode: z.string().min(1),
  Filters: z.array(Filter).max(50).optional(),
  FormatVersion: z.string().min(1).max(32).optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(MAX_PRODUCTS).optional(),
});
const DescribeServicesInput = z.object({
  ServiceCode: z.string().optional(),
  FormatVersion: z.string().min(1).max(32).optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(100).optional(),
});
const GetAttributeValuesInput = z.object({
  ServiceCode: z.string().min(1),
  AttributeName: z.string().min(1),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(10_000).optional(),
});
type PriceFilter = z.output<typeof Filter>;

const notFound = (serviceCode: string) => new QueryError(400, 'NotFoundException', `Service code ${serviceCode} was not found.`);
const invalidToken = () => new QueryError(400, 'InvalidNextTokenException', 'The NextToken is not valid.');

function attributesOf(document: PriceDocument): Record<string, unknown> {
  return (document.product as { attributes?: Record<string, unknown> } | undefined)?.attributes ?? {};
}

/** The value a filter field names: a product attribute, or the product's SKU or family. */
function fieldOf(document: PriceDocument, field: string): string | undefined {
  const product = (document.product ?? {}) as Record<string, unknown>;
  const value = field === 'sku' || field === 'productFamily' ? product[field] : attributesOf(document)[field];
  return typeof value === 'string' ? value : undefined;
}

function passes(document: PriceDocument, filter: PriceFilter): boolean {
  const value = fieldOf(document, filter.Field);
  const listed = filter.Value.split(',').map((item) => item.trim());
  switch (filter.Type) {
    case 'TERM_MATCH':
    case 'EQUALS':
      return value === filter.Value;
    case 'CONTAINS':
      return value !== undefined && value.includes(filter.Value);
    case 'ANY_OF':
      return value !== undefined && listed.includes(value);
    case 'NONE_OF':
      return value === undefined || !listed.includes(value);
  }
}

/** Every product of a service code: the emulator's, then the scenario's extra documents; undefined for an unknown code. */
function productsOf(call: ServiceCall, serviceCode: string): PriceDocument[] | undefined {
  const extra = call.scenario.pricing.extra.filter((document) => (typeof document.serviceCode === 'string' ? document.serviceCode : 'AmazonBedrock') === serviceCode);
  const known = call.context.prices.productsOf(serviceCode);
  return known === undefined && extra.length === 0 ? undefined : [...(known ?? []), ...extra];
}

function serviceCodes(call: ServiceCall): string[] {
  const extra = call.scenario.pricing.extra.map((document) => (typeof document.serviceCode === 'string' ? document.serviceCode : 'AmazonBedrock'));
  return [...new Set([...PRICE_SERVICE_CODES, ...extra])];
}

function checkFormat(version: string | undefined): void {
  if (version !== undefined && version !== FORMAT_VERSION) throw new QueryError(400, 'InvalidParameterException', `Invalid FormatVersion ${version}: the only format is ${FORMAT_VERSION}.`);
}

function getProducts(call: ServiceCall) {
  const input = parseInput(GetProductsInput, call.parameters);
  checkFormat(input.FormatVersion);
  const products = productsOf(call, input.ServiceCode);
  if (!products) throw notFound(input.ServiceCode);
  const filters = input.Filters ?? [];
  const matching = products.filter((document) => filters.every((filter) => passes(document, filter)));
  const size = Math.min(input.MaxResults ?? MAX_PRODUCTS, call.scenario.pricing.pageSize ?? MAX_PRODUCTS);
  const listing = `GetProducts:${input.ServiceCode}:${JSON.stringify(filters)}`;
  const { items, nextToken } = page(matching, { listing, ...(input.NextToken ? { token: input.NextToken } : {}), size, invalidToken });
  return { FormatVersion: FORMAT_VERSION, PriceList: items.map((document) => JSON.stringify(document)), ...(nextToken ? { NextToken: nextToken } : {}) };
}

function describeServices(call: ServiceCall) {
  const input = parseInput(DescribeServicesInput, call.parameters);
  checkFormat(input.FormatVersion);
  const codes = input.ServiceCode === undefined ? serviceCodes(call) : [input.ServiceCode];
  const services = codes.map((code) => {
    const products = productsOf(call, code);
    if (!products) throw notFound(code);
    return { ServiceCode: code, AttributeNames: [...new Set(products.flatMap((document) => Object.keys(attributesOf(document))))].sort() };
  });
  const listing = `DescribeServices:${input.ServiceCode ?? ''}`;
  const { items, nextToken } = page(services, { listing, ...(input.NextToken ? { token: input.NextToken } : {}), size: input.MaxResults ?? 100, invalidToken });
  return { Services: items, FormatVersion: FORMAT_VERSION, ...(nextToken ? { NextToken: nextToken } : {}) };
}

function getAttributeValues(call: ServiceCall) {
  const input = parseInput(GetAttributeValuesInput, call.parameters);
  const products = productsOf(call, input.ServiceCode);
  if (!products) throw notFound(input.ServiceCode);
  const values = [...new Set(products.map((document) => fieldOf(document, input.AttributeName)).filter((value) => value !== undefined))].sort();
  const listing = `GetAttributeValues:${input.ServiceCode}:${input.AttributeName}`;
  const { items, nextToken } = page(values, { listing, ...(input.NextToken ? { token: input.NextToken } : {}), size: input.MaxResults ?? 10_000, invalidToken });
  return { AttributeValues: items.map((value) => ({ Value: value })), ...(nextToken ? { NextToken: nextToken } : {}) };
}

export const pricingService: EmulatedService = {
  signingName: 'pricing',
  protocol: 'awsJson',
  targetPrefix: 'AWSPriceListService',
  jsonVersion: '1.1',
  errorMessageMember: 'Message',
  async answer(call) {
    if (!PRICE_LIST_REGIONS.includes(call.region)) {
      await call.context.dropConnection(call.request);
      return;
    }
    await sleep(sampleDelay(perRegion(call.scenario.controlPlaneLatencyMs, call.region), call.context.delays, `service:${call.region}`));
    const { pricing } = call.scenario;
    if (pricing.denied) {
      const action = `pricing:${call.operation}`;
      throw new QueryError(400, 'AccessDeniedException', `User: ${call.scenario.identity.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`);
    }
    if (pricing.failing) throw new QueryError(500, 'InternalErrorException', 'An error on the server occurred during the processing of your request. Try again later.', 'Receiver');
    const answers: Record<string, () => unknown> = {
      GetProducts: () => getProducts(call),
      DescribeServices: () => describeServices(call),
      GetAttributeValues: () => getAttributeValues(call),
    };
    const answer = Object.hasOwn(answers, call.operation) ? answers[call.operation] : undefined;
    if (!answer) throw new QueryError(400, 'UnknownOperationException', `Unknown operation ${call.operation}`);
    sendJsonResult(call, pricingService, answer());
  },
};
