import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import type { ConverseResult, StreamHandlers } from '../../src-shared/contract';
import { createAtlasCore, FEATURES } from '../core/app/atlas-core';
import type { Feature } from '../core/app/feature';
import { playgroundFeature } from '../core/playground/feature';
import { parseScenario } from '../emulator/scenario';
import { startEmulator } from '../emulator/server';
import { buildRenderer, rendererBuildIsStale } from '../host/renderer-build';
import { startHostForCore } from '../host/web-host';
import { emulatedCoreOptions } from '../testing/emulated-core';
import { sampleAt } from './samples';

/**
 * npm run bench:playground — the playground's speed targets, measured end to end: the real core and browser host
 * in this process, the emulator over loopback HTTP, the real renderer in headless Chromium (Debian's).
 * 1. A token reaching the main process → in the page's DOM (committed in the frame that paints it): p95 ≤ 16 ms.
 * 2. Four panes streaming 200 tokens/s each: no long task over 50 ms, nothing dropped (DOM text = result text).
 * 3. Memory over a long stream at 200 tokens/s: the page's JS heap and the main process's heap within ±20 MB.
 *    The emulator's answers are short (≤ 63 tokens), so this stream is a bench-only handler behind the same host.
 *    BENCH_PLAYGROUND_LONG_S sets its length (default 180 s; the issue asks 10 minutes: 600).
 * 4. The CLI prints the first token within 5 ms of its arrival (a TCP relay timestamps the first text frame).
 */

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const LONG_SECONDS = Number(process.env.BENCH_PLAYGROUND_LONG_S ?? 180);
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];
const wallClock = () => performance.timeOrigin + performance.now();
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

if (rendererBuildIsStale(projectRoot)) await buildRenderer(projectRoot, (line) => console.error(line));

const emulator = await startEmulator({ scenario: parseScenario({ timeToFirstTokenMs: { '*': 80 }, perTokenMs: { '*': 20 } }) });

/** What the main process handed to the host, per stream: cumulative text length → when. */
const emitted = new Map<string, { length: number; at: number }[]>();
const results = new Map<string, ConverseResult>();
const streamKey = (region: string, prompt: string) => `${region}|${prompt}`;

/** The playground feature with its emits timed, plus a long synthetic stream for the memory measurement. */
const timedPlayground: Feature<null> = {
  ...playgroundFeature,
  create: (context, exportsOf) => {
    const instance = playgroundFeature.create(context, exportsOf);
    const converse = instance.streams!.converse!;
    const timed: StreamHandlers['converse'] = async (input, streamContext) => {
      const prompt = input.messages.at(-1)!.content.map((block) => ('text' in block ? block.text : '')).join('');
      const key = streamKey(input.region, prompt);
      const records: { length: number; at: number }[] = [];
      emitted.set(key, records);
      let length = 0;
      if (prompt.startsWith('bench:long')) return longStream(streamContext, input.region);
      const result = await converse(input, {
        ...streamContext,
        emit: (chunk) => {
          length += chunk.text.length;
          records.push({ length, at: wallClock() });
          return streamContext.emit(chunk);
        },
      });
      results.set(key, result);
      return result;
    };
    return { ...instance, streams: { converse: timed } };
  },
};

async function longStream(context: Parameters<StreamHandlers['converse']>[1], region: string): Promise<ConverseResult> {
  const started = performance.now();
  let text = '';
  for (let index = 0; performance.now() - started < LONG_SECONDS * 1000 && !context.signal.aborted; index++) {
    const token = ` word${index % 1000}`;
    text += token;
    await context.emit({ text: token });
    await sleep(Math.max(0, started + (index + 1) * 5 - performance.now()));
  }
  return {
    text,
    stopReason: 'end_turn',
    usage: null,
    metrics: { ttftMs: 0, e2eMs: performance.now() - started, outputTokensPerSecond: 200, serverLatencyMs: null },
    route: { invokeId: HAIKU, callRegion: region, kind: 'on-demand' },
    served: {},
    api: 'ConverseStream',
  };
}

const dataDir = await mkdtemp(join(tmpdir(), 'atlas-bench-playground-'));
const core = await createAtlasCore({
  ...emulatedCoreOptions(emulator.url, { overrides: { regions: REGIONS, dataDir } }),
  version: 'bench',
  features: FEATURES.map((feature) => (feature === playgroundFeature ? timedPlayground : feature)),
});
const host = await startHostForCore(core, { port: 0, rendererDir: join(projectRoot, 'out/renderer'), log: () => {} });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(host.launchUrl);
await page.getByRole('link', { name: 'Playground' }).click();
await page.getByTestId('pane-1').waitFor();

/** What the bench keeps on the page's window between its evaluate calls (a type only: it is gone in the page). */
type BenchWindow = Window &
  Partial<{ seen: Record<string, { length: number; at: number }[]>; longTasks: number[]; timedLongTasks: { start: number; duration: number }[]; watcher: MutationObserver }>;

/** In the page: every change of a streaming answer's length, per pane, with the wall-clock time it reached the DOM. */
await page.evaluate(() => {
  const global: BenchWindow = window;
  global.seen = {};
  global.longTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => global.longTasks?.push(entry.duration))).observe({ type: 'longtask', buffered: false });
  // Long tasks with their start, to leave out those that the bench's own forced garbage collections cause.
  global.timedLongTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => global.timedLongTasks?.push({ start: entry.startTime, duration: entry.duration }))).observe({
    type: 'longtask',
    buffered: false,
  });
  const watcher = new MutationObserver(() => {
    const at = performance.timeOrigin + performance.now();
    document.querySelectorAll('[data-testid^="pane-"]').forEach((pane) => {
      const answer = pane.querySelector('[data-testid="streaming-answer"]');
      if (!answer) return;
      const region = (pane.querySelector('select[aria-label$="region"]') as HTMLSelectElement).value;
      const list = ((global.seen ??= {})[region] ??= []);
      const length = answer.textContent!.length;
      if (list.length === 0 || list.at(-1)?.length !== length) list.push({ length, at });
    });
  });
  global.watcher = watcher;
  watcher.observe(document.body, { subtree: true, childList: true, characterData: true });
});

async function setPanes(count: number) {
  while ((await page.locator('[data-testid^="pane-"]').count()) < count) await page.getByRole('button', { name: 'Add pane' }).click();
  for (let index = 1; index <= count; index++) {
    await page.getByLabel(`Pane ${index} model or profile`).fill(HAIKU);
    await page.getByLabel(`Pane ${index} region`).selectOption(sampleAt(REGIONS, index - 1, `pane ${index}'s region`));
    await page.getByTestId(`pane-${index}`).locator('details.pg-params').evaluate((details) => ((details as HTMLDetailsElement).open = true));
    await page.getByTestId(`pane-${index}`).getByLabel('maxTokens').fill('100');
  }
}

/** Sends one prompt to every pane and waits for every answer; returns the per-token screen latencies. */
async function round(prompt: string, panes: number): Promise<{ latencies: number[]; dropped: string[] }> {
  await page.evaluate(() => ((window as BenchWindow).seen = {}));
  const footers = await page.getByTestId('response-footer').count();
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
  await page.waitForFunction((expected) => document.querySelectorAll('[data-testid="response-footer"]').length >= expected, footers + panes, { timeout: 60_000 });
  const seen = await page.evaluate(() => (window as BenchWindow).seen ?? {});
  const latencies: number[] = [];
  const dropped: string[] = [];
  for (const region of REGIONS.slice(0, panes)) {
    const key = streamKey(region, prompt);
    const onScreen = seen[region] ?? [];
    for (const record of emitted.get(key) ?? []) {
      const shown = onScreen.find((observation) => observation.length >= record.length);
      if (shown) latencies.push(shown.at - record.at);
    }
    const answers = await page.getByTestId(`pane-${REGIONS.indexOf(region) + 1}`).getByTestId('answer').allTextContents();
    if (answers.at(-1) !== results.get(key)?.text) dropped.push(region);
  }
  return { latencies, dropped };
}

// 1. Token → screen, one pane, tokens 20 ms apart (a typical model's pace).
{
  await setPanes(1);
  const latencies: number[] = [];
  for (let index = 0; index < 15; index++) latencies.push(...(await round(`Latency round ${index}: tell me about regions.`, 1)).latencies);
  const p95 = percentile(latencies, 95);
  console.log(
    `token in main process → on screen: ${latencies.length} tokens, p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (target p95 ≤ 16 ms) ${p95 <= 16 ? 'OK' : 'OVER'}`,
  );
}

// 2. Four panes, 200 tokens/s each.
{
  emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 80 }, perTokenMs: { '*': 5 } }));
  await page.getByRole('button', { name: 'New conversation' }).click();
  await setPanes(4);
  await page.evaluate(() => ((window as BenchWindow).longTasks = []));
  const latencies: number[] = [];
  const dropped: string[] = [];
  const rounds = 12;
  for (let index = 0; index < rounds; index++) {
    const outcome = await round(`Four panes, round ${index}: compare the regions.`, 4);
    latencies.push(...outcome.latencies);
    dropped.push(...outcome.dropped);
  }
  const longTasks = await page.evaluate(() => (window as BenchWindow).longTasks ?? []);
  const longest = longTasks.length > 0 ? Math.max(...longTasks) : 0;
  console.log(
    `4 panes × 200 tokens/s, ${rounds} rounds (${latencies.length} tokens): long tasks ${longTasks.length}, longest ${longest.toFixed(0)} ms (target none over 50 ms) ${longest <= 50 ? 'OK' : 'OVER'}; ` +
      `dropped ${dropped.length === 0 ? 'nothing' : dropped.join(', ')} ${dropped.length === 0 ? 'OK' : 'LOST'}; token → screen p95 ${percentile(latencies, 95).toFixed(1)} ms`,
  );
}

// 3. Memory over a long stream.
{
  await page.getByRole('button', { name: 'New conversation' }).click();
  for (let removed = 0; removed < 3; removed++) await page.getByRole('button', { name: 'Remove pane 2' }).click();
  // The latency watcher reads the whole answer at every change: over a long answer it would measure itself.
  await page.evaluate(() => (window as BenchWindow).watcher?.disconnect());
  await page.evaluate(() => ((window as BenchWindow).timedLongTasks = []));
  const footers = await page.getByTestId('response-footer').count();
  await page.getByLabel('Prompt', { exact: true }).fill('bench:long');
  await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
  // The page's heap after a full collection, through the DevTools protocol: what stays, not what awaits collection.
  const devtools = await page.context().newCDPSession(page);
  const collections: [number, number][] = [];
  const pageNow = () => page.evaluate(() => performance.now());
  const heap = async () => {
    const from = await pageNow();
    await devtools.send('HeapProfiler.collectGarbage');
    const used = (await devtools.send('Runtime.getHeapUsage')).usedSize;
    collections.push([from, await pageNow()]);
    return used;
  };
  const mainHeap = () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().heapUsed;
  };
  await sleep(Math.min(10_000, LONG_SECONDS * 200));
  const pageSamples = [await heap()];
  const mainSamples = [mainHeap()];
  const started = performance.now();
  while (performance.now() - started < LONG_SECONDS * 1000 - 12_000) {
    await sleep(Math.min(15_000, LONG_SECONDS * 1000));
    pageSamples.push(await heap());
    mainSamples.push(mainHeap());
  }
  await page.waitForFunction((expected) => document.querySelectorAll('[data-testid="response-footer"]').length > expected, footers, { timeout: 60_000 });
  const timed = await page.evaluate(() => (window as BenchWindow).timedLongTasks ?? []);
  const longTasks = timed
    .filter((task) => !collections.some(([from, to]) => task.start + task.duration >= from && task.start <= to))
    .map((task) => task.duration);
  const drift = (samples: number[]) => Math.max(...samples) - sampleAt(samples, 0, 'the first heap sample');
  const spread = (samples: number[]) => Math.max(...samples) - Math.min(...samples);
  const within = Math.max(spread(pageSamples), spread(mainSamples)) <= 20 * 1024 * 1024;
  console.log(
    `long stream, ${LONG_SECONDS} s at 200 tokens/s (${pageSamples.length} samples): page heap ${mb(sampleAt(pageSamples, 0, 'the first page heap sample'))} → ${mb(pageSamples.at(-1)!)} (spread ${mb(spread(pageSamples))}, rise ${mb(drift(pageSamples))}), ` +
      `main heap ${mb(sampleAt(mainSamples, 0, 'the first main heap sample'))} → ${mb(mainSamples.at(-1)!)} (spread ${mb(spread(mainSamples))}); long tasks outside the heap samples' forced collections ${longTasks.length} [${longTasks.map((task) => task.toFixed(0)).join(', ')}] ms (target ±20 MB) ${within ? 'OK' : 'OVER'}`,
  );
}

await browser.close();
await host.close();
await core.close();

// 4. The CLI: first token on stdout vs its arrival from the network (a relay in front of the emulator times it).
{
  emulator.setScenario(parseScenario({ timeToFirstTokenMs: { '*': 150 }, perTokenMs: { '*': 20 } }));
  let firstTextFrameAt = 0;
  const relay = createServer((client) => {
    const upstream = connect(emulator.port, '127.0.0.1');
    client.pipe(upstream);
    upstream.on('data', (data: Buffer) => {
      if (firstTextFrameAt === 0 && data.includes('contentBlockDelta')) firstTextFrameAt = wallClock();
      client.write(data);
    });
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  const cliEnv: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench' };
  delete cliEnv.BEDROCK_ATLAS_ENDPOINT_URL;
  const gaps: number[] = [];
  for (let run = 0; run < 20; run++) {
    firstTextFrameAt = 0;
    const gap = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [join(projectRoot, 'bin/bedrock-atlas.js'), 'prompt', '--endpoint-url', relayUrl, '--cache-mode', 'none', '--regions', 'us-east-1', '--target', HAIKU, '--region', 'us-east-1', '--max-tokens', '20', `CLI run ${run}`],
        { env: cliEnv },
      );
      let printedAt = 0;
      child.stdout.once('data', () => (printedAt = wallClock()));
      child.on('exit', (code) => (code === 0 && printedAt > 0 && firstTextFrameAt > 0 ? resolve(printedAt - firstTextFrameAt) : reject(new Error(`CLI run ${run} exited ${code}`))));
    });
    gaps.push(gap);
  }
  relay.close();
  const median = percentile(gaps, 50);
  console.log(
    `CLI first token: arrival at the socket → on stdout, ${gaps.length} runs: median ${median.toFixed(2)} ms, p95 ${percentile(gaps, 95).toFixed(2)} ms, max ${Math.max(...gaps).toFixed(2)} ms [${gaps.map((gap) => gap.toFixed(1)).join(', ')}] (target ≤ 5 ms) ${Math.max(...gaps) <= 5 ? 'OK' : 'OVER'}`,
  );
}

await emulator.close();
process.exit(0);
