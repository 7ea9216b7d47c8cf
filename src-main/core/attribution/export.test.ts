import { afterEach, describe, expect, it } from 'vitest';
import type { AttributionJob } from '../../../src-shared/contract/attribution';
import type { ScenarioInput } from '../../emulator/scenario';
import { startAttributionLab, type AttributionLab } from '../../testing/attribution-lab';

/**
 * Exported samples say where each request was served: the lab's columns, then `served_region` and `attribution`,
 * read from what the attribution job found in the emulator's CloudTrail, over real HTTP on a virtual clock.
 */

const SONNET_US = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU_3 = 'anthropic.claude-3-haiku-20240307-v1:0';
const WEIGHTS = { 'us-east-1': 5, 'us-east-2': 3, 'us-west-2': 2 };
const MINUTE = 60_000;
const signal = new AbortController().signal;

const labs: AttributionLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
});

async function lab(extra: ScenarioInput = {}): Promise<AttributionLab> {
  const started = await startAttributionLab({ scenario: { routing: [{ profileId: SONNET_US, sourceRegion: 'us-east-1', weights: WEIGHTS }], perTokenMs: { '*': 0 }, ...extra } });
  labs.push(started);
  return started;
}

async function finished(setup: AttributionLab, runId: string): Promise<AttributionJob> {
  for (let turn = 0; turn < 4_000; turn++) {
    const { job } = await setup.core.handlers.attributionStatus({ runId }, { signal });
    if (job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`attribution of ${runId} never finished`);
}

type ExportedSample = { request_id: string | null; region: string; kind: string; served_region: string | null; attribution: string };

async function exported(setup: AttributionLab, runId: string): Promise<ExportedSample[]> {
  const file = await setup.core.handlers.exportLatency({ format: 'json', runId }, { signal });
  return JSON.parse(Buffer.from(file.base64, 'base64').toString('utf8')) as ExportedSample[];
}

describe('exported samples carry where each request was served', () => {
  it('a profile run: each sample its served region, as many per region as the results count, in CSV and JSON alike', async () => {
    const setup = await lab();
    const report = await setup.run({ target: SONNET_US, regions: ['us-east-1'], runs: 12, concurrency: 4, maxTokens: 4, warmup: 0 });
    expect(await finished(setup, report.id)).toMatchObject({ state: 'done', counts: { attributed: 12 } });
    const samples = await exported(setup, report.id);
    expect(samples).toHaveLength(12);
    for (const sample of samples) {
      expect(sample.attribution).toBe('attributed');
      expect(Object.keys(WEIGHTS)).toContain(sample.served_region);
    }
    const [route] = (await setup.core.handlers.attributionResults({ runId: report.id }, { signal })).routes;
    const byRegion = Object.fromEntries(route!.servedRegions.map((served) => [served.region, served.requests]));
    const counted: Record<string, number> = {};
    for (const sample of samples) counted[sample.served_region!] = (counted[sample.served_region!] ?? 0) + 1;
    expect(counted).toEqual(byRegion);

    const csv = Buffer.from((await setup.core.handlers.exportLatency({ format: 'csv', runId: report.id }, { signal })).base64, 'base64').toString('utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    // The lab's columns keep their places; the attribution columns come after them.
    expect(header.slice(0, 3)).toEqual(['run_id', 'measured_at', 'target']);
    expect(header.slice(-2)).toEqual(['served_region', 'attribution']);
    const servedColumn = header.indexOf('served_region');
    expect(csv.slice(1).map((line) => line.split(',')[servedColumn]).sort()).toEqual(samples.map((sample) => sample.served_region).sort());
  });

  it('an on-demand run: served where it was called, with no CloudTrail call', async () => {
    const setup = await lab();
    const report = await setup.run({ target: HAIKU_3, regions: ['us-east-1'], runs: 3, maxTokens: 4, warmup: 0 });
    const samples = await exported(setup, report.id);
    expect(samples.map((sample) => [sample.served_region, sample.attribution])).toEqual(Array.from({ length: 3 }, () => ['us-east-1', 'attributed']));
    expect(setup.emulator.stats().requests['us-east-1']?.['cloudtrail:LookupEvents'] ?? 0).toBe(0);
  });

  it('events never found within the window: every sample is kept, unattributed, with no served region', async () => {
    const setup = await lab({ cloudtrail: { delayMs: 45 * MINUTE } });
    const report = await setup.run({ target: SONNET_US, regions: ['us-east-1'], runs: 5, maxTokens: 4, warmup: 0 });
    expect(await finished(setup, report.id)).toMatchObject({ counts: { unattributed: 5 } });
    const samples = await exported(setup, report.id);
    expect(samples.map((sample) => [sample.kind, sample.served_region, sample.attribution])).toEqual(Array.from({ length: 5 }, () => ['geo-profile', null, 'unattributed']));
    expect(samples.every((sample) => typeof sample.request_id === 'string')).toBe(true);
  });
});
