import { readFileSync } from 'node:fs';
import type { CatalogDocument } from '../../../src-shared/catalog/document';
import { BEDROCK_PRICE_SERVICE_CODES } from './fetch-price-list';
import type { PriceDocument } from './price-document';

/**
 * The real sample price documents of fixtures/ (see its README) and the real bundled catalog, read from this source
 * tree: what the tests check the parsing and matching on, and what `prices:refresh --fixtures` makes a table of
 * when neither AWS nor the emulator is at hand.
 */

export function samplePriceDocuments(serviceCode: (typeof BEDROCK_PRICE_SERVICE_CODES)[number]): PriceDocument[] {
  const file = JSON.parse(readFileSync(new URL(`./fixtures/${serviceCode}.get-products.sample.json`, import.meta.url), 'utf8')) as { products: PriceDocument[] };
  return file.products;
}

export function allSamplePriceDocuments(): PriceDocument[] {
  return BEDROCK_PRICE_SERVICE_CODES.flatMap(samplePriceDocuments);
}

export function bundledCatalogDocument(): CatalogDocument {
  return JSON.parse(readFileSync(new URL('../../../bundled/bedrock_catalog_bundled.json', import.meta.url), 'utf8')) as CatalogDocument;
}
