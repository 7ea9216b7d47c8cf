import { onDemandDimensions, type PriceDimension, type PriceDocument } from './price-document';

/**
 * A product's price in USD per million tokens, read from `pricePerUnit.USD` and the unit, never from the
 * description's text (it has typos: "$ 0.00007per 1K tokens", "$00 per 1K"). Units:
 * - "1K tokens" (AmazonBedrock, AmazonBedrockService): the price of a thousand tokens.
 * - "Units" (the Marketplace's AmazonBedrockFoundationModels): the unit is named only in the description
 *   ("AWS Marketplace software usage|ap-northeast-2|Million Input Tokens Global" is USD per million tokens). The
 *   description is read for that unit word and nothing else; without "million … tokens" the unit stays unknown (a
 *   real GovCloud product says only "InputTokenCount"), and the product is listed, not converted.
 * Any other unit or currency is listed as unknown, never converted.
 */

export type UnitPriceReading =
  | { ok: true; perMillion: number }
  | { ok: false; reason: 'unknown-unit' | 'unknown-currency' | 'unreadable-price'; detail: string };

/** Tokens per unit for units that name their size. */
const TOKENS_PER_UNIT: Record<string, number> = { '1k tokens': 1_000, '1m tokens': 1_000_000, tokens: 1, token: 1 };
const MILLION_TOKENS = /\bmillion\b.*\btokens?\b/i;

function tokensPerUnit(dimension: PriceDimension): number | null {
  const unit = dimension.unit.trim().toLowerCase();
  if (unit === 'units') return MILLION_TOKENS.test(dimension.description ?? '') ? 1_000_000 : null;
  return TOKENS_PER_UNIT[unit] ?? null;
}

/**
 * A decimal string times 10^shift (shift ≥ 0) by moving its point, so "0.0030000000" per thousand tokens is exactly
 * 3 per million, not the 3.0000000000000004 of a floating-point product.
 */
export function shiftDecimal(decimal: string, shift: number): number {
  const [whole = '', fraction = ''] = decimal.split('.');
  const point = whole.length + shift;
  const digits = `${whole}${fraction}`.padEnd(point, '0');
  return Number(`${digits.slice(0, point)}.${digits.slice(point) || '0'}`);
}

const DECIMAL = /^\d+(\.\d+)?$/;

export function readUnitPrice(document: PriceDocument): UnitPriceReading {
  const dimensions = onDemandDimensions(document);
  if (dimensions.length === 0) return { ok: false, reason: 'unreadable-price', detail: 'no on-demand price' };
  const distinct = new Map(dimensions.map((dimension) => [JSON.stringify([dimension.unit, dimension.pricePerUnit, dimension.beginRange ?? '0']), dimension]));
  if (distinct.size > 1) return { ok: false, reason: 'unreadable-price', detail: `${distinct.size} different on-demand prices` };
  const dimension = dimensions[0]!;
  if ((dimension.beginRange ?? '0') !== '0' || (dimension.endRange ?? 'Inf') !== 'Inf') {
    return { ok: false, reason: 'unreadable-price', detail: `a tiered range ${dimension.beginRange}-${dimension.endRange}` };
  }
  const usd = dimension.pricePerUnit.USD;
  if (usd === undefined) {
    const currencies = Object.keys(dimension.pricePerUnit);
    return { ok: false, reason: 'unknown-currency', detail: currencies.length > 0 ? currencies.join(', ') : 'no currency' };
  }
  const perUnit = tokensPerUnit(dimension);
  if (perUnit === null) {
    return { ok: false, reason: 'unknown-unit', detail: dimension.description ? `${dimension.unit} ("${dimension.description}")` : dimension.unit };
  }
  if (!DECIMAL.test(usd.trim())) return { ok: false, reason: 'unreadable-price', detail: `USD "${usd}" is not a number` };
  return { ok: true, perMillion: shiftDecimal(usd.trim(), Math.round(Math.log10(1_000_000 / perUnit))) };
}
