import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LatencyRunInputSchema } from '../../src-shared/contract';
import { createAtlasCore } from '../core/app/atlas-core';
import { HAIKU_3 } from '../testing/emulated-lab';
import { HISTORY_FILE_NAME, openHistoryDatabase } from '../core/storage/history-database';
import { parseScenario } from '../emulator/scenario';
import { startEmulator } from '../emulator/server';
import { sampleAt } from './samples';

/**
 * npm run bench:durability — kill -9 while history is being written, 100 times, then look at what is on disk.
 *
 * A child process (this file with BENCH_DURABILITY_CHILD set) opens the real composition root against the
 * emulator, with one data directory and one file cache shared by every child, and writes in a loop: latency runs
 * (a run and its samples) or playground conversations (racing a catalog refresh and its cache write), alternately. It prints each id the core said was stored.
 * The parent SIGKILLs it at a random moment, 100 times, then opens the history file as the app would and counts:
 * - runs and conversations claimed (reported stored) vs found in the file (every claimed one must be there);
 * - orphan rows: samples or probe samples without their run (target 0);
 * - torn files: history files that could not be read and were moved aside (target 0);
 * - leftover temporary files in the data and cache directories after a normal start (target 0).
 * Set BENCH_DURABILITY_KILLS to change the count.
 */

const KILLS = Number(process.env.BENCH_DURABILITY_KILLS ?? 100);
const mode = process.env.BENCH_DURABILITY_CHILD;

async function child(kind: 'latency' | 'conversation'): Promise<void> {
  const core = await createAtlasCore({
    name: 'Bedrock Atlas',
    version: '0.0.0-bench',
    transport: 'web',
    settingsPath: null,
    overrides: { cacheMode: 'file', cacheDir: process.env.BENCH_CACHE_DIR!, regions: ['us-east-1', 'eu-west-1'], dataDir: process.env.BENCH_DATA_DIR! },
    endpointUrl: process.env.BENCH_ENDPOINT!,
    bundledPath: null,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const signal = new AbortController().signal;
  process.stdout.write('ready\n');
  // Saves also race a catalog refresh, whose cache write (temporary file, then rename) a kill can interrupt.
  if (kind === 'conversation') void core.handlers.refreshCatalog(undefined, { signal }).catch(() => {});
  for (let index = 0; ; index++) {
    if (kind === 'latency') {
      const input = LatencyRunInputSchema.parse({ target: HAIKU_3, regions: ['us-east-1', 'eu-west-1'], runs: 4, concurrency: 2, maxTokens: 8, warmup: 0 });
      const report = await core.streamHandlers.runLatency(input, { signal, emit: async () => {} });
      if (report.stored) process.stdout.write(`run ${report.id}\n`);
    } else {
      const saved = await core.handlers.saveConversation(
        {
          title: `durability ${process.pid} ${index}`,
          panes: [{ target: HAIKU_3, region: 'us-east-1', turns: [{ role: 'user', content: [{ text: `prompt ${index} `.repeat(200) }] }] }],
        },
        { signal },
      );
      if (saved.saved) process.stdout.write(`conversation ${saved.id}\n`);
    }
  }
}

interface ChildOutcome {
  runs: string[];
  conversations: string[];
  stderr: string;
}

function killOnce(kind: 'latency' | 'conversation', env: NodeJS.ProcessEnv, delayMs: number): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...env, BENCH_DURABILITY_CHILD: kind },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const outcome: ChildOutcome = { runs: [], conversations: [], stderr: '' };
    let buffered = '';
    let killScheduled = false;
    let fallback: NodeJS.Timeout | undefined;
    process_.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        // The kill lands mid-loop: a random moment after the first write the child reports (or, should none come,
        // a while after start-up), so on a loaded machine the children still die writing, not opening.
        if (line === 'ready') fallback = setTimeout(() => process_.kill('SIGKILL'), 10_000);
        if (line !== 'ready' && !killScheduled) {
          killScheduled = true;
          clearTimeout(fallback);
          setTimeout(() => process_.kill('SIGKILL'), delayMs);
        }
        const [what, id = ''] = line.split(' ');
        if (what === 'run') outcome.runs.push(id);
        if (what === 'conversation') outcome.conversations.push(id);
      }
    });
    process_.stderr.on('data', (chunk: Buffer) => (outcome.stderr += chunk.toString('utf8')));
    process_.on('error', reject);
    process_.on('close', () => resolve(outcome));
  });
}

async function parent(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'atlas-bench-durability-'));
  const dataDir = join(root, 'data');
  const cacheDir = join(root, 'cache');
  const emulator = await startEmulator({ scenario: parseScenario({ timeToFirstTokenMs: { '*': 5 }, perTokenMs: { '*': 1 } }) });
  const env = { ...process.env, BENCH_DATA_DIR: dataDir, BENCH_CACHE_DIR: cacheDir, BENCH_ENDPOINT: emulator.url };
  const claimedRuns: string[] = [];
  const claimedConversations: string[] = [];
  let movedAsideWarnings = 0;
  // A seeded spread of kill moments, 0–600 ms after the child's first reported write (mid-run, mid-save).
  let seed = 20;
  const nextDelay = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % 600;
  };
  const started = performance.now();
  for (let kill = 0; kill < KILLS; kill++) {
    const kind = kill % 2 === 0 ? 'latency' : 'conversation';
    const outcome = await killOnce(kind, env, nextDelay());
    claimedRuns.push(...outcome.runs);
    claimedConversations.push(...outcome.conversations);
    if (/moved to .*corrupt-/.test(outcome.stderr)) movedAsideWarnings++;
    if ((kill + 1) % 10 === 0) process.stderr.write(`${kill + 1}/${KILLS} kills, ${claimedRuns.length} runs and ${claimedConversations.length} conversations claimed\n`);
  }
  const elapsedS = (performance.now() - started) / 1000;

  // A normal start afterwards: the cache load sweeps killed writes' leftovers, the history open replays its log.
  const core = await createAtlasCore({
    name: 'Bedrock Atlas',
    version: '0.0.0-bench',
    transport: 'web',
    settingsPath: null,
    overrides: { cacheMode: 'file', cacheDir, regions: ['us-east-1', 'eu-west-1'], dataDir: join(root, 'unused') },
    endpointUrl: emulator.url,
    bundledPath: null,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
    log: () => {},
  });
  await core.handlers.getCatalog(undefined, { signal: new AbortController().signal });
  await core.close();
  const db = await openHistoryDatabase({ dataDir });
  const foundRuns = new Set((await db.all<{ id: string }>('select id from latency_runs')).map((row) => row.id));
  const foundConversations = new Set((await db.all<{ id: string }>('select id from playground_conversations')).map((row) => row.id));
  const orphans = sampleAt(
    await db.all<{ samples: bigint; probes: bigint }>(
      `select (select count(*) from latency_samples s where not exists (select 1 from latency_runs r where r.id = s.run_id)) as samples,
            (select count(*) from probe_samples s where not exists (select 1 from latency_runs r where r.id = s.run_id)) as probes`,
    ),
    0,
    'the orphan counts',
  );
  const samples = sampleAt(await db.all<{ n: bigint }>('select count(*) as n from latency_samples'), 0, 'the sample count');
  const openWarnings = db.warnings.length;
  db.close();
  await emulator.close();

  const tornFiles = (await readdir(dataDir)).filter((name) => name.startsWith(`${HISTORY_FILE_NAME}.corrupt-`));
  const temporaries = [...(await readdir(dataDir)), ...(await readdir(cacheDir))].filter((name) => name.endsWith('.tmp'));
  const missingRuns = claimedRuns.filter((id) => !foundRuns.has(id));
  const missingConversations = claimedConversations.filter((id) => !foundConversations.has(id));
  const rows: [string, string, string, boolean][] = [
    ['kill -9 of a child writing history (runs / saves alternately)', `${KILLS} in ${elapsedS.toFixed(0)} s`, `${KILLS}`, true],
    ['latency runs claimed stored vs found', `${claimedRuns.length} claimed, ${claimedRuns.length - missingRuns.length} found (${foundRuns.size} in the file)`, 'all claimed found', missingRuns.length === 0],
    ['conversations claimed saved vs found', `${claimedConversations.length} claimed, ${claimedConversations.length - missingConversations.length} found (${foundConversations.size} in the file)`, 'all claimed found', missingConversations.length === 0],
    ['orphan rows (samples, probe samples without their run)', `${Number(orphans.samples) + Number(orphans.probes)} of ${Number(samples.n)} samples`, '0', Number(orphans.samples) + Number(orphans.probes) === 0],
    ['torn history files (moved aside as unreadable)', `${tornFiles.length} (warnings: ${movedAsideWarnings} in children, ${openWarnings} at the final open)`, '0', tornFiles.length === 0 && movedAsideWarnings === 0 && openWarnings === 0],
    ['leftover temporary files (data and cache directories)', `${temporaries.length}`, '0', temporaries.length === 0],
  ];
  const [load = NaN] = loadavg();
  console.log(`bench:durability (load average ${load.toFixed(2)})`);
  console.log('| measure | value | target | |');
  console.log('| --- | --- | --- | --- |');
  for (const [name, value, target, ok] of rows) console.log(`| ${name} | ${value} | ${target} | ${ok ? 'ok' : 'MISSED'} |`);
  if (missingRuns.length + missingConversations.length > 0) console.log(`missing: ${[...missingRuns, ...missingConversations].join(', ')}`);
  process.exitCode = rows.every((row) => row[3]) ? 0 : 1;
}

if (mode === 'latency' || mode === 'conversation') await child(mode);
else await parent();
