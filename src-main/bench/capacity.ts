import { availableParallelism, loadavg } from 'node:os';
import { bundledBurndownTable, burndownFor } from '../../src-shared/capacity/burndown';
import { cellRoute } from '../../src-shared/catalog/queries';
import type { QuotaRouteKind } from '../../src-shared/catalog/quotas';
import type { CapacityAnswer, CapacityWorkload, CurrentUsage } from '../../src-shared/contract/capacity';
import { COMMERCIAL_REGIONS } from '../../src-shared/regions';
import { createAtlasCore } from '../core/app/atlas-core';
import { AwsClientPool } from '../core/aws/client-pool';
import { calculateCapacity, type CalculatorRoute } from '../core/capacity/calculator';
import { fetchQuotasCuttingOffStragglers, fetchRegionQuotas } from '../core/quotas/fetch-quotas';
import { loadEmulatorData } from '../emulator/bedrock-data';
import { EMPTY_SCENARIO, loadBuiltInScenario } from '../emulator/scenario';
import { startEmulator } from '../emulator/server';
import { emulatedCoreOptions } from '../testing/emulated-core';
import { median, sampleAt } from './samples';

/**
 * npm run bench:capacity — against the emulator's `realistic` scenario (its per-region round trips), measured in one run:
 * - the Service Quotas fetch of all 33 regions at once (both lists, every page) against the slowest region fetched
 *   alone: target <= 1.2x, as for the catalog scan;
 * - the capacity calculator over every route of one model (each source region's on-demand, geo and global routes,
 *   with their quotas and usage): target <= 5 ms; and, for scale, one `capacity` call through the core with its I/O.
 * It prints numbers; no test asserts on time.
 */
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
const MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const realistic = loadBuiltInScenario('realistic');
const emulator = await startEmulator({ scenario: realistic, data: loadEmulatorData() });
const fresh = () => new AwsClientPool({ endpointUrl: emulator.url, credentials });
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

try {
  // Each region alone, cold (new clients), to find the slowest; then the floor is the median of 5 lone fetches of
  // each of the 3 slowest, and the slowest of those medians, so one noisy sample neither flatters nor sinks the ratio.
  const alone: [string, number][] = [];
  for (const region of COMMERCIAL_REGIONS) {
    const clients = fresh();
    alone.push([region, (await timed(() => fetchRegionQuotas(region, { clients }))).ms]);
    clients.destroy();
  }
  const candidates = alone.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([region]) => region);
  const medians: [string, number][] = [];
  for (const region of candidates) {
    const samples: number[] = [];
    for (let run = 0; run < 5; run++) {
      const clients = fresh();
      samples.push((await timed(() => fetchRegionQuotas(region, { clients }))).ms);
      clients.destroy();
    }
    medians.push([region, median(samples)]);
  }
  const [slowestRegion, floor] = sampleAt(medians.sort((a, b) => b[1] - a[1]), 0, 'the slowest region');

  const allClients = fresh();
  const all = await timed(() => fetchQuotasCuttingOffStragglers(COMMERCIAL_REGIONS, { clients: allClients }));
  allClients.destroy();
  // The same without the scenario's round trips: what is left is CPU (the SDK's and the emulator's, in this one
  // process), which a busy machine stretches and the ratio above includes.
  emulator.setScenario(EMPTY_SCENARIO);
  const cpuClients = fresh();
  const cpuOnly = await timed(() => fetchQuotasCuttingOffStragglers(COMMERCIAL_REGIONS, { clients: cpuClients }));
  cpuClients.destroy();
  emulator.setScenario(realistic);
  const failed = all.value.scans.flatMap((fetch) => (fetch.ok ? [] : [`${fetch.region} ${fetch.error.code}`]));
  const ratio = all.ms / floor;

  // Every route of one model from every region it is callable from, with the quotas the quotas feature tied to them
  // (its section of the catalog document, fetched for all regions), and a current usage to weigh.
  const core = await createAtlasCore(emulatedCoreOptions(emulator.url, { overrides: { regions: [...COMMERCIAL_REGIONS] } }));
  const signal = new AbortController().signal;
  let routes: CalculatorRoute[];
  let call: { ms: number; value: CapacityAnswer };
  try {
    await core.handlers.getQuotas({ target: MODEL }, { signal });
    const { document } = await core.catalog().get();
    const none = { requestsPerMinute: null, tokensPerMinute: null };
    const usage: CurrentUsage = { status: 'ok', peak: { requestsPerMinute: 40, tokensPerMinute: 180_000 }, median: none, quotaTokensLast24h: 50_000_000, averageTokensPerRequest: null };
    routes = Object.keys(document.models[MODEL]?.regions ?? {}).flatMap((region) => {
      const here = cellRoute(document, MODEL, region);
      const tied = document.quotas?.regions[region]?.routes ?? [];
      const ids: [string, QuotaRouteKind][] = [
        ...(here.onDemand ? [[MODEL, 'on-demand'] as [string, QuotaRouteKind]] : []),
        ...here.geoProfiles.map((id): [string, QuotaRouteKind] => [id, 'geo-profile']),
        ...here.globalProfiles.map((id): [string, QuotaRouteKind] => [id, 'global-profile']),
      ];
      return ids.map(([invokeId, routeKind]): CalculatorRoute => {
        const found = tied.find((quota) => quota.invokeId === invokeId && quota.variant === undefined);
        const quotas = { requestsPerMinute: found?.requestsPerMinute, tokensPerMinute: found?.tokensPerMinute, tokensPerDay: found?.tokensPerDay };
        return {
          invokeId,
          routeKind,
          quotas: Object.fromEntries(Object.entries(quotas).filter(([, value]) => value !== undefined)),
          usage,
          prices: { input: 3.3, output: 16.5, cacheRead: 0.33, cacheWrite: 4.125 },
        };
      });
    });
    // For scale: one `capacity` call through the core, its quotas already fetched; CloudWatch and the catalog read.
    call = await timed(() => core.handlers.capacity({ target: MODEL, from: 'us-east-1', rpm: 300, inputTokens: 2000, maxTokens: 1024, outputTokens: 400, cacheReadTokens: 8000, cacheWriteTokens: 500 }, { signal }));
  } finally {
    await core.close();
  }

  const workload: CapacityWorkload = { inputTokens: 2000, outputTokens: 400, outputFrom: 'expected', maxTokens: 1024, cacheReadTokens: 8000, cacheWriteTokens: 500 };
  const burndownRate = burndownFor(MODEL, bundledBurndownTable()).rate;
  const samples: number[] = [];
  for (let run = 0; run < 200; run++) {
    const started = performance.now();
    calculateCapacity({ targetRequestsPerMinute: 300, workload, burndownRate, routes });
    samples.push(performance.now() - started);
  }
  const computeMs = median(samples);

  const [load = NaN] = loadavg();
  console.log(`Capacity bench, emulator scenario "realistic"; load average ${load.toFixed(1)} on ${availableParallelism()} cores`);
  console.log(`  quotas, slowest region alone (${slowestRegion}, median of 5)   ${floor.toFixed(0).padStart(6)} ms`);
  console.log(
    `  quotas, all 33 regions at once                     ${all.ms.toFixed(0).padStart(6)} ms  (${ratio.toFixed(2)}x the slowest alone)  target <= 1.2x: ${verdict(ratio <= 1.2)}` +
      (failed.length > 0 ? `  [failed: ${failed.join(', ')}]` : ''),
  );
  console.log(`  quotas, all 33 regions at once without round trips ${cpuOnly.ms.toFixed(0).padStart(6)} ms  (CPU: the SDK's and the emulator's, in this one process)`);
  console.log(
    `  capacity table, every route of ${MODEL} from every region (${routes.length} routes): median ${computeMs.toFixed(3)} ms, p90 ${sampleAt([...samples].sort((a, b) => a - b), Math.floor(samples.length * 0.9), 'calculations').toFixed(3)} ms  target <= 5 ms: ${verdict(computeMs <= 5)}`,
  );
  console.log(`  for scale: one capacity call through the core from us-east-1 (${call.value.routes.length} routes, CloudWatch read, quotas cached) ${call.ms.toFixed(0)} ms`);
} finally {
  await emulator.close();
}
