import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedEnv } from '../testing/isolated-home';

/**
 * npm run bench:cli — how fast the CLI starts, as ratios to a bare `node -e 0` measured in the same run (machines
 * differ; ratios travel). Each case runs interleaved with the bare Node start, 15 times each; medians are compared.
 * Targets: `--version` and `--help` <= 2x with nothing on stderr; `where` from a warm cache <= 4x; `catalog` from a
 * warm cache <= 5x. It measures the install-time build (out/cli), rebuilt first when a source is newer.
 */
const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 15);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'bedrock-atlas.js');

function buildIsCurrent(): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'out/cli/inputs.json'), 'utf8')) as { builtAt: number; inputs: string[] };
    return manifest.inputs.every((input) => (statSync(join(root, input), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) <= manifest.builtAt);
  } catch {
    return false;
  }
}

function ensureBuild(): void {
  if (buildIsCurrent()) return;
  const build = spawnSync(process.execPath, [join(root, 'src-main/cli/build-cli.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('The CLI build failed.');
}

const home = mkdtempSync(join(tmpdir(), 'atlas-bench-cli-'));
const env: NodeJS.ProcessEnv = { ...process.env, ...isolatedEnv(home), AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench' };
delete env.BEDROCK_ATLAS_ENDPOINT_URL;
delete env.BEDROCK_ATLAS_DEV;
delete env.NODE_COMPILE_CACHE;

function run(args: string[]): { ms: number; status: number | null; signal: NodeJS.Signals | null; stderr: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8', cwd: root });
  return { ms: performance.now() - started, status: result.status, signal: result.signal, stderr: result.stderr };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Case {
  name: string;
  args: string[];
  target: number;
  quietStderr: boolean;
}

// The emulator runs in a process of its own: spawnSync blocks this one's event loop while a case runs.
const emulator = spawn(process.execPath, [bin, 'emulator', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
const emulatorUrl = await new Promise<string>((resolve, reject) => {
  let text = '';
  emulator.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    const url = /Bedrock emulator: (\S+)/.exec(text)?.[1];
    if (url) resolve(url);
  });
  emulator.on('exit', (code) => reject(new Error(`The emulator exited (${code}) before it listened.`)));
});
const shared = ['--endpoint-url', emulatorUrl];
// The warm cache: one scan of every region into the isolated HOME's cache directory.
const warm = run([bin, 'catalog', '--refresh', ...shared]);
if (warm.status !== 0) throw new Error(`Warming the cache failed: ${warm.stderr}`);

const cases: Case[] = [
  { name: '--version', args: ['--version'], target: 2, quietStderr: true },
  { name: '--help', args: ['--help'], target: 2, quietStderr: true },
  { name: 'where "claude 3 haiku" (warm cache)', args: ['where', 'claude 3 haiku', ...shared], target: 4, quietStderr: false },
  { name: 'catalog (warm cache)', args: ['catalog', ...shared], target: 5, quietStderr: false },
];

console.log(`bench:cli on Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}, ${ROUNDS} rounds per case`);
console.log('');
console.log('| command | median | bare `node -e 0` | ratio | target | stderr | verdict |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
let failed = 0;
for (const entry of cases) {
  ensureBuild();
  run([bin, ...entry.args]); // the compile cache's first fill is not a start the user repeats
  const bare: number[] = [];
  const cli: number[] = [];
  let stderr = '';
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(run(['-e', '0']).ms);
    const result = run([bin, ...entry.args]);
    if (result.status !== 0) throw new Error(`${entry.name} exited ${result.status ?? result.signal}: ${result.stderr}`);
    cli.push(result.ms);
    stderr ||= result.stderr;
  }
  const usedBuild = buildIsCurrent();
  const ratio = median(cli) / median(bare);
  const quiet = !entry.quietStderr || stderr === '';
  const pass = ratio <= entry.target && quiet && usedBuild;
  if (!pass) failed++;
  console.log(
    `| ${entry.name} | ${median(cli).toFixed(0)} ms | ${median(bare).toFixed(0)} ms | ${ratio.toFixed(2)}x | <= ${entry.target}x | ${entry.quietStderr ? (stderr === '' ? 'empty' : `NOT EMPTY: ${stderr.split('\n')[0]}`) : '-'} | ${pass ? 'PASS' : usedBuild ? 'FAIL' : 'FAIL (a source changed during the case: measured tsx)'} |`,
  );
}
emulator.kill();
rmSync(home, { recursive: true, force: true });
process.exitCode = failed > 0 ? 1 : 0;
