import { mkdtemp, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { COMMERCIAL_REGIONS } from '../../src-shared/regions';
import { RegionClients } from '../core/aws/region-clients';
import { CACHE_FILE_NAME, CatalogCache } from '../core/catalog/cache';
import { buildCatalogDocument } from '../core/catalog/build-document';
import { scanRegion, scanRegions } from '../core/catalog/discovery';
import { startEmulator } from '../emulator/server';
import { loadBuiltInScenario } from '../emulator/scenario';

/**
 * npm run bench:catalog — a 33-region scan against the emulator's `realistic` scenario in three designs, measured
 * in one run, and the time to load and validate a 500 KB cache file. Targets: all-at-once <= 1.5x the floor
 * (the slowest region's own sequential time); cache load <= 50 ms.
 */
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
const emulator = await startEmulator({ scenario: loadBuiltInScenario('realistic') });
const fresh = () => new RegionClients({ endpointUrl: emulator.url, credentials });

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

try {
  const sequentialClients = fresh();
  const perRegion: Record<string, number> = {};
  const sequential = await timed(async () => {
    for (const region of COMMERCIAL_REGIONS) {
      const scan = await scanRegion(region, { clients: sequentialClients, perRegionConcurrency: 1 });
      perRegion[region] = scan.durationMs;
    }
  });
  sequentialClients.destroy();
  const [slowestRegion, floor] = Object.entries(perRegion).sort((a, b) => b[1] - a[1])[0];

  const poolClients = fresh();
  const pool = await timed(() => {
    const limit = pLimit(10);
    return Promise.all(COMMERCIAL_REGIONS.map((region) => limit(() => scanRegion(region, { clients: poolClients, perRegionConcurrency: 1 }))));
  });
  poolClients.destroy();

  const parallelClients = fresh();
  const parallel = await timed(() => scanRegions(COMMERCIAL_REGIONS, { clients: parallelClients }));
  parallelClients.destroy();

  const ratio = parallel.ms / floor;
  console.log('33-region scan, emulator scenario "realistic" (round trips as seen from us-east-1)');
  console.log(`  floor: slowest region alone, sequential (${slowestRegion})   ${floor.toFixed(0).padStart(6)} ms`);
  console.log(`  seed design: regions one after another        ${sequential.ms.toFixed(0).padStart(6)} ms  (${(sequential.ms / floor).toFixed(1)}x floor)`);
  console.log(`  global pool of 10 workers                      ${pool.ms.toFixed(0).padStart(6)} ms  (${(pool.ms / floor).toFixed(1)}x floor)`);
  console.log(`  all regions at once, 2 calls per region        ${parallel.ms.toFixed(0).padStart(6)} ms  (${ratio.toFixed(2)}x floor)  target <= 1.5x: ${ratio <= 1.5 ? 'PASS' : 'FAIL'}`);

  // A cache file of at least 500 KB: the real 33-region document plus access entries, as a long session leaves it.
  const document = buildCatalogDocument(parallel.value, { generatedAt: new Date() });
  document.access = {};
  for (const modelId of Object.keys(document.models)) {
    document.access[modelId] = Object.fromEntries(COMMERCIAL_REGIONS.map((region) => [region, { status: 'authorized' as const, checkedAt: new Date().toISOString() }]));
  }
  const dir = await mkdtemp(join(tmpdir(), 'atlas-bench-'));
  try {
    const cache = new CatalogCache({ mode: 'file', dir, maxAgeMs: 3_600_000 });
    await cache.save(document);
    const size = statSync(join(dir, CACHE_FILE_NAME)).size;
    const samples: number[] = [];
    for (let run = 0; run < 30; run++) {
      const reader = new CatalogCache({ mode: 'file', dir, maxAgeMs: 3_600_000 });
      const { ms, value } = await timed(() => reader.load());
      if (!value.document) throw new Error(`cache did not load: ${value.warnings.join()}`);
      samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)];
    console.log(`cache load + checksum + schema validation, ${(size / 1024).toFixed(0)} KB file: median ${median.toFixed(1)} ms, p90 ${samples[Math.floor(samples.length * 0.9)].toFixed(1)} ms  target <= 50 ms: ${median <= 50 ? 'PASS' : 'FAIL'}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await emulator.close();
}
