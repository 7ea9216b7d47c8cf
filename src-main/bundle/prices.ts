import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CatalogDocumentSchema } from '../../src-shared/catalog/document';
import { AwsClientPool } from '../core/aws/client-pool';
import { priceTableFile } from '../core/prices/build-table';
import { fetchPriceList, PRICE_LIST_REGION } from '../core/prices/fetch-price-list';
import { bundledPricesPath } from '../core/prices/feature';
import { allSamplePriceDocuments } from '../core/prices/sample-documents';
import { writePriceTableFile, type PriceTableFile } from '../core/prices/table-file';
import { startEmulator } from '../emulator/server';
import { BUNDLED_CATALOG, projectFile } from '../cli/project-files';

/**
 * Produces bundled/bedrock_prices.json, the price table the app answers with offline. `npm run prices:refresh`
 * reads the AWS Price List API (every page of AmazonBedrock, AmazonBedrockService and AmazonBedrockFoundationModels,
 * in us-east-1) with your credentials (default chain or --profile); `npm run prices:refresh:emulator` reads the
 * emulator's; `--fixtures` makes it from the recorded real sample documents in src-main/core/prices/fixtures when
 * neither is at hand. Products are tied to the models of the bundled catalog (--catalog), and the file's `source`
 * says which of the three it was made from.
 */
const { values } = parseArgs({
  options: {
    emulator: { type: 'boolean', default: false },
    fixtures: { type: 'boolean', default: false },
    profile: { type: 'string' },
    catalog: { type: 'string', default: projectFile(BUNDLED_CATALOG) },
    out: { type: 'string', default: bundledPricesPath(projectFile(BUNDLED_CATALOG))! },
  },
});
if (values.emulator && values.fixtures) throw new Error('Choose --emulator or --fixtures, not both.');

const catalog = CatalogDocumentSchema.parse(JSON.parse(await readFile(values.catalog, 'utf8')));
const models = Object.values(catalog.models);

async function fromPriceList(): Promise<PriceTableFile> {
  const emulator = values.emulator ? await startEmulator() : null;
  const clients = new AwsClientPool({ endpointUrl: emulator?.url ?? null, profile: values.profile ?? null });
  try {
    process.stderr.write(`Reading the Price List API${emulator ? ' of the emulator' : ` in ${PRICE_LIST_REGION}`}...\n`);
    const list = await fetchPriceList(clients, {
      onProgress: ({ serviceCode, pages, documents }) => process.stderr.write(`  ${serviceCode}: page ${pages}, ${documents} products\n`),
    });
    const pages = Object.entries(list.pages).map(([code, count]) => `${code} (${count} pages)`).join(', ');
    const file = priceTableFile(list.documents, models, {
      generatedAt: list.fetchedAt,
      // The emulator's port changes run to run; naming it would change the file for nothing.
      source: emulator
        ? { kind: 'emulator', endpoint: null, note: `GetProducts of the emulator (the real sample documents, and prices made from LiteLLM's rates for its other models): ${pages}` }
        : { kind: 'aws', endpoint: `https://api.pricing.${PRICE_LIST_REGION}.amazonaws.com`, note: `GetProducts of ${pages}` },
      catalogGeneratedAt: catalog.generatedAt,
    });
    // The emulator's documents say when they were published; dating its table by that keeps the file stable.
    return emulator && file.asOf ? { ...file, generatedAt: file.asOf } : file;
  } finally {
    clients.destroy();
    await emulator?.close();
  }
}

function fromFixtures(): PriceTableFile {
  return priceTableFile(allSamplePriceDocuments(), models, {
    // When the collector read the real list (the sample files' metadata), so the file stays the same run to run.
    generatedAt: '2026-01-19T16:39:33.000Z',
    source: {
      kind: 'fixtures',
      endpoint: null,
      note:
        'Made from the recorded real GetProducts documents in src-main/core/prices/fixtures (79 products of the three service codes, collected 2026-01-19 from the us-east-1 Price List API; see its README), not the whole list: most prices are unknown until `npm run prices:refresh` reads the real API.',
    },
    catalogGeneratedAt: catalog.generatedAt,
  });
}

const file = values.fixtures ? fromFixtures() : await fromPriceList();
if (file.rows.length === 0) throw new Error(`No price could be tied to a catalog model (${file.products.read} products read); ${values.out} was left unchanged.`);
await writePriceTableFile(values.out, file, 0o644);
process.stderr.write(
  `Wrote ${values.out} (${file.source.kind}, as of ${file.asOf}): ${file.rows.length} route prices, ${file.unused.length} unused products, ${file.products.outOfScope} out of scope, of ${file.products.read} read.\n`,
);
