import { z } from 'zod';

/**
 * One `GetProducts` price document, as the Price List API sends it (each entry of `PriceList` is a JSON string):
 * `{product: {productFamily?, attributes, sku}, serviceCode, terms: {OnDemand: {"<sku>.<offerTermCode>":
 * {priceDimensions: {"<sku>.<offerTermCode>.<rateCode>": {unit, pricePerUnit: {USD}, beginRange, endRange,
 * description}}}}}, publicationDate}`. Only the fields the table reads are checked; the rest may be anything.
 */

const PriceDimensionSchema = z.object({
  unit: z.string(),
  pricePerUnit: z.record(z.string(), z.string()),
  description: z.string().optional(),
  beginRange: z.string().optional(),
  endRange: z.string().optional(),
});

const TermSchema = z.object({ priceDimensions: z.record(z.string(), PriceDimensionSchema) });

export const PriceDocumentSchema = z.object({
  product: z.object({ sku: z.string(), attributes: z.record(z.string(), z.string()) }),
  serviceCode: z.string(),
  terms: z.object({ OnDemand: z.record(z.string(), TermSchema).optional() }),
  publicationDate: z.string().optional(),
});
export type PriceDocument = z.infer<typeof PriceDocumentSchema>;
export type PriceDimension = z.infer<typeof PriceDimensionSchema>;

/** The Marketplace's product name: "Claude Sonnet 4.5 (Amazon Bedrock Edition)". */
const MARKETPLACE_EDITION = /\s*\(Amazon Bedrock Edition\)\s*$/i;

/** The product's own name for its model: `model`, `titanModel`, or the Marketplace's `servicename` without its edition. */
export function productModelName(document: PriceDocument): string | null {
  const { attributes } = document.product;
  if (attributes.model) return attributes.model;
  if (attributes.titanModel) return attributes.titanModel;
  const service = attributes.servicename;
  return service && MARKETPLACE_EDITION.test(service) ? service.replace(MARKETPLACE_EDITION, '') : null;
}

/** Every on-demand price dimension of the document (reserved and other term types are not per-token list prices). */
export function onDemandDimensions(document: PriceDocument): PriceDimension[] {
  return Object.values(document.terms.OnDemand ?? {}).flatMap((term) => Object.values(term.priceDimensions));
}

/** A `PriceList` entry: a JSON string (the API) or an already parsed object (a file that stored them parsed). */
export function parsePriceDocument(entry: unknown): { document: PriceDocument } | { error: string; sku: string | null; serviceCode: string | null } {
  let value = entry;
  if (typeof entry === 'string') {
    try {
      value = JSON.parse(entry);
    } catch {
      return { error: 'not JSON', sku: null, serviceCode: null };
    }
  }
  const parsed = PriceDocumentSchema.safeParse(value);
  if (parsed.success) return { document: parsed.data };
  const loose = (value ?? {}) as { product?: { sku?: unknown }; serviceCode?: unknown };
  return {
    error: 'not a price document',
    sku: typeof loose.product?.sku === 'string' ? loose.product.sku : null,
    serviceCode: typeof loose.serviceCode === 'string' ? loose.serviceCode : null,
  };
}
