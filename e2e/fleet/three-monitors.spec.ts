import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, HAIKU, test } from '../fixtures/atlas';
import { BIN, E2E_AWS_ENV, processHome, setScenario, startEmulator, type Started } from '../fixtures/processes';
import { readmeScreenshot } from '../fixtures/readme-screenshots';

/**
 * The proof, end to end: three monitors with different vantage names, each measuring through its own path
 * (an emulator whose network round trip differs), each writing to one S3 store (the worker's emulator, whose S3 the
 * app reads). The app's team view then shows all three, and the differences between their TTFT figures are the
 * differences between their paths, within 5 ms.
 */

// This spec's own S3 client (it makes the bucket) runs in the test runner, where the CLI's switch for the SDK's Node
// version warning is not set.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const REGIONS = ['us-east-1', 'eu-west-1'];
const BUCKET = 'team-latency';
const STORE = `s3://${BUCKET}/fleet`;
/** The model's own time to first token, the same everywhere; each vantage adds its path. */
const MODEL_TTFT_MS = 80;
/** Each vantage's round trip to Bedrock: what its TTFT adds to the model's time. */
const PATH_MS: Record<string, number> = { 'laptop-berlin': 0, 'ecs-us-west-2': 40, 'vpc-ap-southeast-2': 120 };
/** Each vantage's monitor runs this many cycles, in turn with the others', of RUNS_PER_CYCLE requests per region. */
const ROUNDS = 3;
const RUNS_PER_CYCLE = 5;

test.use({ regions: REGIONS });

const vantageEmulators: Started[] = [];
let work = '';

test.beforeAll(async ({ emulator }) => {
  work = await mkdtemp(join(tmpdir(), 'atlas-three-monitors-'));
  const s3 = new S3Client({ region: 'us-east-1', endpoint: emulator.url, forcePathStyle: true, credentials: { accessKeyId: 'AKIDE2E', secretAccessKey: 'e2e-secret' } });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
  for (const pathMs of Object.values(PATH_MS)) {
    const started = await startEmulator();
    vantageEmulators.push(started);
    // The path's round trip is part of every answer's time to first token, as on a real network.
    await setScenario(started.url, { roundTripMs: { '*': pathMs }, timeToFirstTokenMs: { '*': MODEL_TTFT_MS + pathMs }, perTokenMs: { '*': 1 } });
  }
});

test.afterAll(async () => {
  await Promise.all(vantageEmulators.splice(0).map((started) => started.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

/** One monitor cycle (`--once`) from a vantage: Bedrock through its own emulator, the store through the shared S3. */
async function runMonitor(vantage: string, bedrockUrl: string, storeUrl: string): Promise<{ code: number | null; stderr: string }> {
  const config = join(work, `${vantage}.json`);
  await writeFile(
    config,
    JSON.stringify({
      vantage,
      targets: [{ target: HAIKU, regions: REGIONS }],
      schedule: { everyMinutes: 5 },
      measure: { kind: 'latency', runs: RUNS_PER_CYCLE, warmup: 1, maxTokens: 8 },
      budgets: { maxRequestsPerHour: 1000 },
      sinks: { store: { location: STORE } },
      dataDir: join(work, vantage),
    }),
  );
  const { env: homeEnv } = processHome(`monitor-${vantage}`);
  const env = {
    ...process.env,
    ...homeEnv,
    ...E2E_AWS_ENV,
    // Per service, as a team would point each at its own endpoint: Bedrock along this vantage's path, S3 at the store.
    AWS_ENDPOINT_URL_BEDROCK: bedrockUrl,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrockUrl,
    AWS_ENDPOINT_URL_PRICING: bedrockUrl,
    AWS_ENDPOINT_URL_S3: storeUrl,
  };
  const child = spawn(process.execPath, [BIN, 'monitor', '--config', config, '--once', '--cache-mode', 'none', '--regions', REGIONS.join(',')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

test('three monitors write one S3 store; the team view shows each vantage, their TTFT differences those of their paths', async ({ browser, host, emulator }) => {
  test.setTimeout(240_000);
  const vantages = Object.keys(PATH_MS);
  // One cycle at a time (three monitors measuring at once on two cores would time each other, not their paths), in
  // rounds: each vantage's samples then come from the whole spec's span, so a busy moment on the machine (the other
  // Playwright worker, a bench beside the run) weighs on every vantage alike instead of on the one measuring then.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, vantage] of vantages.entries()) {
      const result = await runMonitor(vantage, vantageEmulators[index]!.url, emulator.url);
      expect(result.code, result.stderr).toBe(0);
      const cycle = result.stderr.split('\n').filter((line) => line.includes('"event":"cycle"'));
      expect(cycle).toHaveLength(1);
      expect(JSON.parse(cycle[0]!)).toMatchObject({ vantage, status: 'ok', sinks: [expect.objectContaining({ written: 1, pending: 0 })] });
    }
  }

  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(host.url);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  try {
    await nav.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByTestId('team-data');
    await section.getByLabel('Location').fill(STORE);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await section.getByRole('button', { name: 'Sync now' }).click();
    await expect(section.getByTestId('fleet-last-sync')).toContainText(/Synced: \d+ parts listed/, { timeout: 60_000 });
    for (const vantage of vantages) await expect(section.getByTestId('team-vantages')).toContainText(vantage);

    await nav.getByRole('link', { name: 'Latency' }).click();
    await page.getByRole('form', { name: 'Latency run' }).getByLabel('Model or profile').fill(HAIKU);
    const heatmap = page.getByTestId('by-vantage-heatmap');
    await expect(heatmap).toBeVisible({ timeout: 30_000 });
    const p50 = async (vantage: string, region: string) => Number(await heatmap.locator(`[data-vantage="${vantage}"][data-region="${region}"]`).textContent());
    const [nearest] = vantages;
    for (const region of REGIONS) {
      const base = await p50(nearest!, region);
      expect(base).toBeGreaterThanOrEqual(MODEL_TTFT_MS);
      for (const vantage of vantages.slice(1)) {
        // The difference between two vantages is the difference between their paths, within 5 ms.
        const difference = (await p50(vantage, region)) - base;
        expect(Math.abs(difference - (PATH_MS[vantage]! - PATH_MS[nearest!]!)), `${vantage} to ${region}: ${difference} ms over ${nearest}`).toBeLessThanOrEqual(5);
      }
    }
    await page.getByTestId('fleet-from').evaluate((node) => node.scrollIntoView({ block: 'start' }));
    await page.mouse.move(4, 200);
    await page.screenshot({ path: readmeScreenshot('team-view-dark.png') });
  } finally {
    // The worker's host serves later specs: no team store for them.
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('team-data').getByLabel('Location').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await context.close();
  }
});
