import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EmulatorData, FoundationModelSummaryWire, RegionData } from './bedrock-data';

/**
 * The Price List API's Bedrock products as the emulator serves them, by service code: the real sample documents
 * (recordings/pricing.*.get-products.sample.json, unmodified), then products the emulator generates in the same
 * grammar for its catalog's text models in its regions, so a run against the emulator can be priced. Generated
 * products are shape-identical to real ones (nothing marks them inside the document); which ones are generated is
 * documented in README.md. Their rates come from LiteLLM's table (recordings/litellm.bedrock-token-prices.json);
 * a model LiteLLM does not price has no generated product, as real price lists have gaps.
 *
 * - First-party and most third-party models: `AmazonBedrock`, usagetype `<PREFIX>-<ModelToken>-<direction>` for the
 *   in-region (and geo profile) rate, `…-cross-region-global` for the global profile; unit `1K tokens`, offer term
 *   JRTCKXETXF.
 * - Anthropic's models: Marketplace items in `AmazonBedrockFoundationModels`, usagetype
 *   `<PREFIX>-MP:<PREFIX>_InputTokenCount[_Global]-Units`, servicename "<Model> (Amazon Bedrock Edition)", unit
 *   `Units` (per million tokens, said only in the description), offer term 4799GE89SK.
 */

export type PriceDocument = Record<string, unknown>;

export const PricingScenarioSchema = z
  .object({
    /** The caller may not read prices: AccessDeniedException. */
    denied: z.boolean().default(false),
    /** The Price List API fails: InternalErrorException (500). */
    failing: z.boolean().default(false),
    /** At most this many products per GetProducts page, whatever MaxResults asks. */
    pageSize: z.number().int().positive().max(100).optional(),
    /**
     * Raw price documents served after the others, under their own `serviceCode` (AmazonBedrock when they name none):
     * a product with a unit or a currency a client does not know, say.
     */
    extra: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .strict();
export type PricingScenario = z.output<typeof PricingScenarioSchema>;

export const PRICE_SERVICE_CODES = ['AmazonBedrock', 'AmazonBedrockService', 'AmazonBedrockFoundationModels'] as const;

/**
 * Billing prefixes and location names (the recordings' where they show them; af-south-1, ap-east-2,
 * ap-southeast-1, -3, -6, -7 and mx-central-1 follow AWS's usage-type naming and are the emulator's own).
 */
const REGION_BILLING: Record<string, { prefix: string; location: string }> = {
  'us-east-1': { prefix: 'USE1', location: 'US East (N. Virginia)' },
  'us-east-2': { prefix: 'USE2', location: 'US East (Ohio)' },
  'us-west-1': { prefix: 'USW1', location: 'US West (N. California)' },
  'us-west-2': { prefix: 'USW2', location: 'US West (Oregon)' },
  'ca-central-1': { prefix: 'CAN1', location: 'Canada (Central)' },
  'ca-west-1': { prefix: 'CAN2', location: 'Canada West (Calgary)' },
  'mx-central-1': { prefix: 'MXC1', location: 'Mexico (Central)' },
  'sa-east-1': { prefix: 'SAE1', location: 'South America (Sao Paulo)' },
  'eu-west-1': { prefix: 'EU', location: 'EU (Ireland)' },
  'eu-west-2': { prefix: 'EUW2', location: 'Europe (London)' },
  'eu-west-3': { prefix: 'EUW3', location: 'EU (Paris)' },
  'eu-central-1': { prefix: 'EUC1', location: 'Europe (Frankfurt)' },
  'eu-central-2': { prefix: 'EUC2', location: 'Europe (Zurich)' },
  'eu-north-1': { prefix: 'EUN1', location: 'Europe (Stockholm)' },
  'eu-south-1': { prefix: 'EUS1', location: 'Europe (Milan)' },
  'eu-south-2': { prefix: 'EUS2', location: 'Europe (Spain)' },
  'il-central-1': { prefix: 'ILC1', location: 'Israel (Tel Aviv)' },
  'me-central-1': { prefix: 'MEC1', location: 'Middle East (UAE)' },
  'me-south-1': { prefix: 'MES1', location: 'Middle East (Bahrain)' },
  'af-south-1': { prefix: 'AFS1', location: 'Africa (Cape Town)' },
  'ap-east-2': { prefix: 'APE2', location: 'Asia Pacific (Taipei)' },
  'ap-northeast-1': { prefix: 'APN1', location: 'Asia Pacific (Tokyo)' },
  'ap-northeast-2': { prefix: 'APN2', location: 'Asia Pacific (Seoul)' },
  'ap-northeast-3': { prefix: 'APN3', location: 'Asia Pacific (Osaka)' },
  'ap-south-1': { prefix: 'APS3', location: 'Asia Pacific (Mumbai)' },
  'ap-south-2': { prefix: 'APS5', location: 'Asia Pacific (Hyderabad)' },
  'ap-southeast-1': { prefix: 'APS1', location: 'Asia Pacific (Singapore)' },
  'ap-southeast-2': { prefix: 'APS2', location: 'Asia Pacific (Sydney)' },
  'ap-southeast-3': { prefix: 'APS4', location: 'Asia Pacific (Jakarta)' },
  'ap-southeast-4': { prefix: 'APS6', location: 'Asia Pacific (Melbourne)' },
  'ap-southeast-5': { prefix: 'APS7', location: 'Asia Pacific (Malaysia)' },
  'ap-southeast-6': { prefix: 'APS8', location: 'Asia Pacific (New Zealand)' },
  'ap-southeast-7': { prefix: 'APS9', location: 'Asia Pacific (Thailand)' },
};

interface TokenRates {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

type Direction = 'input' | 'output' | 'cacheRead' | 'cacheWrite';

/** The usagetype direction of the AmazonBedrock grammar, its inferenceType attribute, and the Marketplace component. */
const DIRECTIONS: Record<Direction, { usage: string; inferenceType: string; component: string; marketplace: string }> = {
  input: { usage: 'input-tokens', inferenceType: 'Input tokens', component: 'InputTokenCount', marketplace: 'Million Input Tokens' },
  output: { usage: 'output-tokens', inferenceType: 'Output tokens', component: 'OutputTokenCount', marketplace: 'Million Response Tokens' },
  cacheRead: { usage: 'cache-read-input-token-count', inferenceType: 'Prompt cache read input tokens', component: 'CacheReadInputTokenCount', marketplace: 'Million Cache Read Input Tokens' },
  cacheWrite: { usage: 'cache-write-input-token-count', inferenceType: 'Prompt cache write input tokens', component: 'CacheWriteInputTokenCount', marketplace: 'Million Cache Write Input Tokens' },
};

/** The versions of the recorded samples the generated products claim, so a client sees one publication. */
const PUBLICATIONS = {
  AmazonBedrock: { version: '20260114001225', publicationDate: '2026-01-14T00:12:25Z' },
  AmazonBedrockFoundationModels: { version: '20260119134201', publicationDate: '2026-01-19T13:42:01Z' },
} as const;
const EFFECTIVE_DATE = '2026-01-01T00:00:00Z';
const RATE_CODE = '6YS6EN2CT7';
const SKU_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function readRecording(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./recordings/${name}`, import.meta.url), 'utf8'));
}

/** A stable SKU in the Price List's form (16 upper-case letters and digits). */
function skuOf(serviceCode: string, usagetype: string): string {
  const digest = createHash('sha256').update(`${serviceCode}\n${usagetype}`).digest();
  return Array.from(digest.subarray(0, 16), (byte) => SKU_ALPHABET[byte % SKU_ALPHABET.length]).join('');
}

/** A decimal string with ten places, as `pricePerUnit.USD` is written. */
const usd = (value: number) => value.toFixed(10);
/** The short form the descriptions quote ("$0.00015"). */
const quoted = (value: number) => `$${Number(value.toPrecision(10))}`;

function document(serviceCode: keyof typeof PUBLICATIONS, product: Record<string, unknown>, sku: string, offerTermCode: string, dimension: { unit: string; description: string; price: number }): PriceDocument {
  const term = `${sku}.${offerTermCode}`;
  return {
    product: { ...product, sku },
    serviceCode,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [`${term}.${RATE_CODE}`]: {
              unit: dimension.unit,
              endRange: 'Inf',
              description: dimension.description,
              appliesTo: [],
              rateCode: `${term}.${RATE_CODE}`,
              beginRange: '0',
              pricePerUnit: { USD: usd(dimension.price) },
            },
          },
          sku,
          effectiveDate: EFFECTIVE_DATE,
          offerTermCode,
          termAttributes: {},
        },
      },
    },
    ...PUBLICATIONS[serviceCode],
  };
}

function firstPartyDocument(region: string, model: FoundationModelSummaryWire, direction: Direction, global: boolean, perToken: number): PriceDocument {
  const billing = REGION_BILLING[region]!;
  const token = model.modelName.replace(/\s+/g, '');
  const usagetype = `${billing.prefix}-${token}-${DIRECTIONS[direction].usage}${global ? '-cross-region-global' : ''}`;
  const sku = skuOf('AmazonBedrock', usagetype);
  const perThousand = perToken * 1000;
  const description = global
    ? `${quoted(perThousand)} per 1K token for ${token}-${DIRECTIONS[direction].usage}-cross-region-global in ${billing.location}`
    : `${quoted(perThousand)} per 1K tokens for ${usagetype} in ${billing.location}`;
  const attributes = {
    regionCode: region,
    inferenceType: DIRECTIONS[direction].inferenceType,
    servicecode: 'AmazonBedrock',
    feature: 'On-demand Inference',
    provider: model.providerName,
    usagetype,
    locationType: 'AWS Region',
    location: billing.location,
    model: model.modelName,
    servicename: 'Amazon Bedrock',
    operation: '',
  };
  return document('AmazonBedrock', { productFamily: 'Amazon Bedrock', attributes }, sku, 'JRTCKXETXF', { unit: '1K tokens', description, price: perThousand });
}

function marketplaceDocument(region: string, model: FoundationModelSummaryWire, direction: Direction, global: boolean, perToken: number): PriceDocument {
  const billing = REGION_BILLING[region]!;
  const usagetype = `${billing.prefix}-MP:${billing.prefix}_${DIRECTIONS[direction].component}${global ? '_Global' : ''}-Units`;
  const sku = skuOf(`AmazonBedrockFoundationModels\n${model.modelId}`, usagetype);
  const description = `AWS Marketplace software usage|${region}|${DIRECTIONS[direction].marketplace} ${global ? 'Global' : 'Regional'}`;
  const attributes = { regionCode: region, usagetype, locationType: 'AWS Region', location: billing.location, servicename: `${model.modelName} (Amazon Bedrock Edition)`, operation: '' };
  return document('AmazonBedrockFoundationModels', { attributes }, sku, '4799GE89SK', { unit: 'Units', description, price: perToken * 1_000_000 });
}

function isTextModel(model: FoundationModelSummaryWire): boolean {
  return model.outputModalities.includes('TEXT') && !/embed|rerank/.test(model.modelId);
}

/** The generated products of one region: in-region rates where the model is called in the region or through a geo profile, global rates where a global profile starts. */
function regionProducts(regionData: RegionData, rates: Record<string, { regional: TokenRates; global: TokenRates }>): PriceDocument[] {
  if (!REGION_BILLING[regionData.region]) return [];
  const products: PriceDocument[] = [];
  for (const model of regionData.models) {
    const modelRates = rates[model.modelId];
    if (!modelRates || !isTextModel(model)) continue;
    const profiles = regionData.profiles.filter((profile) => profile.inferenceProfileId.endsWith(`.${model.modelId}`));
    const inRegion = model.inferenceTypesSupported.includes('ON_DEMAND') || profiles.some((profile) => !profile.inferenceProfileId.startsWith('global.'));
    const global = profiles.some((profile) => profile.inferenceProfileId.startsWith('global.'));
    const make = model.providerName === 'Anthropic' ? marketplaceDocument : firstPartyDocument;
    for (const [isGlobal, offered, tokenRates] of [[false, inRegion, modelRates.regional], [true, global, modelRates.global]] as const) {
      if (!offered) continue;
      for (const direction of Object.keys(DIRECTIONS) as Direction[]) {
        const perToken = tokenRates[direction];
        if (perToken !== undefined) products.push(make(regionData.region, model, direction, isGlobal, perToken));
      }
    }
  }
  return products;
}

/** What tells two products apart for the same charge: the usage type, and for Marketplace items the model's listing. */
function chargeKey(document: PriceDocument): string {
  const attributes = (document.product as { attributes?: Record<string, unknown> } | undefined)?.attributes ?? {};
  return `${String(document.serviceCode)}\n${String(attributes.usagetype)}\n${String(attributes.servicename)}`;
}

/** The products per service code, made on first use and kept by the emulator instance that asked. */
export class PriceRecordings {
  private products: Map<string, PriceDocument[]> | null = null;

  constructor(private readonly data: EmulatorData) {}

  productsOf(serviceCode: string): readonly PriceDocument[] | undefined {
    this.products ??= this.build();
    return this.products.get(serviceCode);
  }

  private build(): Map<string, PriceDocument[]> {
    const products = new Map<string, PriceDocument[]>();
    for (const code of PRICE_SERVICE_CODES) {
      products.set(code, (readRecording(`pricing.${code}.get-products.sample.json`) as { products: PriceDocument[] }).products);
    }
    const rates = (readRecording('litellm.bedrock-token-prices.json') as { prices: Record<string, { regional: TokenRates; global: TokenRates }> }).prices;
    const recorded = new Set([...products.values()].flat().map(chargeKey));
    for (const regionData of this.data.regions.values()) {
      // A recorded product wins over a generated one for the same charge.
      for (const generated of regionProducts(regionData, rates)) if (!recorded.has(chargeKey(generated))) products.get(generated.serviceCode as string)!.push(generated);
    }
    return products;
  }
}
