import { parseArgs } from 'node:util';
import { COMMERCIAL_REGIONS, parseRegionList } from '../../src-shared/regions';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { AwsClientPool } from '../core/aws/client-pool';
import { buildCatalogDocument } from '../core/catalog/build-document';
import { scanRegions } from '../core/catalog/discovery';
import { writeFileAtomic } from '../core/storage/atomic-write';
import { startEmulator } from '../emulator/server';
import { BUNDLED_CATALOG, projectFile } from '../cli/project-files';

/**
 * Produces bundled/bedrock_catalog_bundled.json, the offline fallback. `npm run bundle:refresh` scans real AWS
 * with your credentials (default chain or --profile); `npm run bundle:refresh:emulator` scans the emulator, whose
 * data is the recorded 2026-08-21 scan, and dates the file accordingly.
 */
const { values } = parseArgs({
  options: {
    emulator: { type: 'boolean', default: false },
    profile: { type: 'string' },
    regions: { type: 'string', default: 'all' },
    out: { type: 'string', default: projectFile(BUNDLED_CATALOG) },
  },
});

const EMULATOR_DATA_AS_OF = '2026-08-21T00:00:00.000Z';

const emulator = values.emulator ? await startEmulator() : null;
const clients = new AwsClientPool({ endpointUrl: emulator?.url ?? null, profile: values.profile ?? null });
try {
  const regions = values.regions === 'all' ? COMMERCIAL_REGIONS : parseRegionList(values.regions);
  process.stderr.write(`Scanning ${regions.length} regions${emulator ? ' of the emulator' : ''}...\n`);
  const scans = await scanRegions(regions, {
    clients,
    onProgress: (progress) => {
      if (progress.phase === 'done') process.stderr.write(`  ${progress.region}: ${progress.modelCount} models, ${progress.profileCount} profiles\n`);
      if (progress.phase === 'failed') process.stderr.write(`  ${progress.region}: skipped (${progress.error?.code})\n`);
    },
  });
  const answered = scans.filter((scan) => scan.ok);
  if (answered.length === 0) throw new Error('No region answered; the bundled catalog was left unchanged.');
  // Only regions that answered go into the fallback: a region the producing account had not enabled says nothing
  // about the user's account.
  const document: CatalogDocument = {
    ...buildCatalogDocument(answered, { generatedAt: new Date(emulator ? EMULATOR_DATA_AS_OF : Date.now()) }),
    source: 'bundled',
  };
  await writeFileAtomic(values.out, `${JSON.stringify(document)}\n`, 0o644);
  process.stderr.write(
    `Wrote ${values.out}: ${answered.length} regions, ${Object.keys(document.models).length} models, ${Object.keys(document.profiles).length} profiles.\n`,
  );
} finally {
  clients.destroy();
  await emulator?.close();
}
