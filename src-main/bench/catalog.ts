import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { COMMERCIAL_REGIONS } from '../../src-shared/regions';
import { AwsClientPool } from '../core/aws/client-pool';
import { CACHE_FILE_NAME, CatalogCache } from '../core/catalog/cache';
import { buildCatalogDocument } from '../core/catalog/build-document';
import { scanCuttingOffStragglers, scanRegion, scanRegions, STRAGGLER_RULE } from '../core/catalog/discovery';
import { loadEmulatorData } from '../emulator/bedrock-data';
import { startEmulator } from '../emulator/server';
import { sampleAt } from './samples';
import { loadBuiltInScenario, parseScenario } from '../emulator/scenario';

/**
 * npm run bench:catalog — a 33-region scan against the emulator's `realistic` scenario, measured in one run:
 * - three designs: regions one after another, a global pool of 10 workers, every region at once;
 * - every region at once with two regions throttled (the first 2, and the first 1, calls of each list operation);
 * - one region that never answers: in-process, and through the CLI where the other regions take about 2 s;
 * - the time to load and validate a 500 KB cache file.
 * Targets: all-at-once <= 1.5x the floor (the slowest region's own sequential time), throttled too; a hanging
 * region answered without within max(5 s, 3x the slowest answered region); the CLI within 9 s; cache load <= 50 ms.
 */
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
const data = loadEmulatorData();
const realistic = loadBuiltInScenario('realistic');
const emulator = await startEmulator({ scenario: realistic, data });
const fresh = () => new AwsClientPool({ endpointUrl: emulator.url, credentials });
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/**
 * Runs `bedrock-atlas catalog --refresh` against the emulator; resolves with the time until the process exits and
 * until its first progress line (a region not enabled for the account answers at once, so that is about when the
 * scan started: the rest before it is the CLI's start-up).
 */
function runCliRefresh(): Promise<{ ms: number; firstProgressMs: number; code: number | null; stderr: string }> {
  const bin = fileURLToPath(new URL('../../bin/bedrock-atlas.js', import.meta.url));
  const args = ['catalog', '--refresh', '--endpoint-url', emulator.url, '--cache-mode', 'none', '--no-bundled'];
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let firstProgressMs = Number.NaN;
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (Number.isNaN(firstProgressMs) && /\[ *1\/\d+\]/.test(stderr)) firstProgressMs = performance.now() - started;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ ms: performance.now() - started, firstProgressMs, code, stderr })));
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
  // One sample per region is noisy on a busy machine, and a spike would flatter every ratio below: the floor is the
  // median of 5 lone scans of each of the 3 slowest candidates, and the slowest of those medians. Each lone scan
  // starts cold, with new clients, as every scan below does: its connection pays the handshake.
  const candidates = Object.entries(perRegion).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([region]) => region);
  const medians: [string, number][] = [];
  for (const region of candidates) {
    const samples: number[] = [];
    for (let run = 0; run < 5; run++) {
      const lone = fresh();
      samples.push((await scanRegion(region, { clients: lone, perRegionConcurrency: 1 })).durationMs);
      lone.destroy();
    }
    medians.push([region, sampleAt(samples.sort((a, b) => a - b), 2, `${region} alone`)]);
  }
  const [slowestRegion, floor] = sampleAt(medians.sort((a, b) => b[1] - a[1]), 0, 'the slowest region');

  const poolClients = fresh();
  const pool = await timed(() => {
    const limit = pLimit(10);
    return Promise.all(COMMERCIAL_REGIONS.map((region) => limit(() => scanRegion(region, { clients: poolClients, perRegionConcurrency: 1 }))));
  });
  poolClients.destroy();

  const parallelClients = fresh();
  const parallel = await timed(() => scanRegions(COMMERCIAL_REGIONS, { clients: parallelClients }));
  parallelClients.destroy();

  // Two regions throttled: the first 2 calls of each list operation in eu-west-1, the first 1 in ap-northeast-1.
  emulator.setScenario(
    parseScenario({ ...realistic, throttle: [{ region: 'eu-west-1', firstN: 2 }, { region: 'ap-northeast-1', firstN: 1 }] }),
  );
  const throttledClients = fresh();
  const throttled = await timed(() => scanRegions(COMMERCIAL_REGIONS, { clients: throttledClients }));
  throttledClients.destroy();
  const throttledRegions = Object.fromEntries(throttled.value.filter((scan) => ['eu-west-1', 'ap-northeast-1'].includes(scan.region)).map((scan) => [scan.region, scan.durationMs]));

  const ratio = parallel.ms / floor;
  const throttledRatio = throttled.ms / floor;
  // Every figure here is wall-clock time; a busy machine stretches all of them, so say how busy it was.
  const [load = NaN] = loadavg();
  console.log(`33-region scan, emulator scenario "realistic" (round trips as seen from us-east-1); load average ${load.toFixed(1)} on ${availableParallelism()} cores`);
  console.log(`  floor: slowest region alone, sequential (${slowestRegion}, median of 5) ${floor.toFixed(0).padStart(4)} ms`);
  console.log(`  seed design: regions one after another        ${sequential.ms.toFixed(0).padStart(6)} ms  (${(sequential.ms / floor).toFixed(1)}x floor)`);
  console.log(`  global pool of 10 workers                      ${pool.ms.toFixed(0).padStart(6)} ms  (${(pool.ms / floor).toFixed(1)}x floor)`);
  console.log(`  all regions at once, 2 calls per region        ${parallel.ms.toFixed(0).padStart(6)} ms  (${ratio.toFixed(2)}x floor)  target <= 1.5x: ${verdict(ratio <= 1.5)}`);
  console.log(
    `  all at once, 2 regions throttled (2 and 1 calls) ${throttled.ms.toFixed(0).padStart(4)} ms  (${throttledRatio.toFixed(2)}x floor)  target <= 1.5x: ${verdict(throttledRatio <= 1.5)}` +
      `  [eu-west-1 ${throttledRegions['eu-west-1']} ms, ap-northeast-1 ${throttledRegions['ap-northeast-1']} ms]`,
  );

  // One region that never answers: the scan answers without it once its grace is over.
  emulator.setScenario(parseScenario({ ...realistic, hang: ['ap-southeast-2'] }));
  const hangingClients = fresh();
  const stopWaiting = new AbortController();
  const hanging = await timed(() => scanCuttingOffStragglers(COMMERCIAL_REGIONS, { clients: hangingClients, signal: stopWaiting.signal }));
  stopWaiting.abort();
  for (const late of hanging.value.stragglers.values()) late.catch(() => {});
  hangingClients.destroy();
  const slowestAnswered = Math.max(...hanging.value.scans.filter((scan) => !hanging.value.stragglers.has(scan.region)).map((scan) => scan.durationMs));
  const limit = Math.max(STRAGGLER_RULE.minGraceMs, STRAGGLER_RULE.slowestMultiple * slowestAnswered);
  // Timers fire a little after their time; 100 ms covers that on a busy machine.
  console.log(
    `  one hanging region (ap-southeast-2): answer in ${hanging.ms.toFixed(0)} ms (limit max(5 s, 3x slowest ${slowestAnswered} ms) = ${limit} ms, +100 ms timer slack): ${verdict(hanging.ms <= limit + 100)}`,
  );

  // The CLI where the other regions take about 2 s: 1.7 s of latency spread over each region's sequential pages, the
  // rest is the calls' own time. The regions' real times are read back from the CLI's progress lines.
  const twoSeconds = Object.fromEntries(
    [...data.regions].map(([region, regionData]) => [region, Math.round(1_700 / Math.max(1, Math.ceil(regionData.profiles.length / 25)))]),
  );
  emulator.setScenario(parseScenario({ controlPlaneLatencyMs: twoSeconds, hang: ['ap-southeast-2'] }));
  const cli = await runCliRefresh();
  const othersMs = Math.max(0, ...[...cli.stderr.matchAll(/ ok .*, (\d+) ms$/gm)].map((match) => Number(match[1])));
  const cliPassed = cli.code === 0 && cli.ms <= 9_000;
  console.log(
    `  CLI catalog --refresh, one hanging region, the others done in ${othersMs} ms: exits in ${cli.ms.toFixed(0)} ms (start-up ~${cli.firstProgressMs.toFixed(0)} ms, then ${(cli.ms - cli.firstProgressMs).toFixed(0)} ms)  target <= 9 s: ${verdict(cliPassed)}` +
      (cli.code === 0 ? '' : `\n    the CLI failed (exit ${cli.code}): ${cli.stderr.trim().split('\n').slice(-3).join(' | ')}`),
  );
  emulator.setScenario(realistic);

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
    const median = sampleAt(samples, Math.floor(samples.length / 2), 'cache loads');
    console.log(`cache load + checksum + schema validation, ${(size / 1024).toFixed(0)} KB file: median ${median.toFixed(1)} ms, p90 ${sampleAt(samples, Math.floor(samples.length * 0.9), 'cache loads').toFixed(1)} ms  target <= 50 ms: ${median <= 50 ? 'PASS' : 'FAIL'}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await emulator.close();
}
