import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { join } from 'node:path';
import { projectFile } from '../cli/project-files';
import { desktopArguments, downloadFailureReason, electronBinary } from './desktop-launch';

/**
 * `npm start`: the desktop app where an Electron binary is present or can be downloaded; otherwise one line saying
 * why, then the same dashboard through the browser host. Arguments after `--` go to either, unchanged.
 * Whatever stops this launcher (Ctrl+C, SIGTERM, its parent going away) stops every process it started.
 */
// Long enough for a ~100 MB download on a decent line; with no network the attempt fails within seconds.
const DOWNLOAD_TIMEOUT_MS = 60_000;
// How often to check whether npm's shell is still there; a stop then takes at most this long to reach the children.
const PARENT_CHECK_MS = 250;
const root = projectFile('.');
const args = process.argv.slice(2);
const electronDir = join(root, 'node_modules', 'electron');
const require = createRequire(import.meta.url);

const running = new Set<ChildProcess>();
let stoppedBy: NodeJS.Signals | null = null;

function stop(signal: NodeJS.Signals): void {
  stoppedBy ??= signal;
  for (const child of running) child.kill(signal);
}

/** The exit code a shell reports for a process ended by `signal` (130 for Ctrl+C, 143 for SIGTERM). */
function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 15);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
// npm runs this script through `sh -c`, and a SIGTERM sent to npm ends at that shell: the shell dies without passing
// it on and this process is re-parented. A changed parent pid means whoever started us is gone, so stop everything.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart && stoppedBy === null) stop('SIGTERM');
}, PARENT_CHECK_MS).unref();

interface Finished {
  code: number;
  output: string;
  timedOut: boolean;
}

function run(command: string, commandArgs: string[], options: { capture?: boolean; timeoutMs?: number } = {}): Promise<Finished> {
  if (stoppedBy) return Promise.resolve({ code: exitCodeFor(stoppedBy), output: '', timedOut: false });
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      stdio: options.capture ? ['ignore', 'ignore', 'pipe'] : 'inherit',
      cwd: root,
      timeout: options.timeoutMs,
    });
    running.add(child);
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error) => (output += error.message));
    child.on('close', (code, signal) => {
      running.delete(child);
      const timedOut = options.timeoutMs !== undefined && signal === 'SIGTERM' && stoppedBy === null;
      resolve({ code: code ?? exitCodeFor(signal ?? 'SIGTERM'), output, timedOut });
    });
  });
}

async function desktopBinary(): Promise<{ binary: string } | { unavailable: string }> {
  const present = electronBinary(electronDir);
  if (present) return { binary: present };
  if (process.env.BEDROCK_ATLAS_NO_ELECTRON === '1') return { unavailable: 'BEDROCK_ATLAS_NO_ELECTRON=1' };
  const download = await run(process.execPath, [join(electronDir, 'install.js')], { capture: true, timeoutMs: DOWNLOAD_TIMEOUT_MS });
  const downloaded = electronBinary(electronDir);
  if (download.code === 0 && downloaded) return { binary: downloaded };
  return { unavailable: downloadFailureReason(download.output, download.timedOut) };
}

async function main(): Promise<number> {
  const desktop = await desktopBinary();
  if (stoppedBy) return exitCodeFor(stoppedBy);
  if ('binary' in desktop) {
    const built = await run(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build']);
    if (built.code !== 0 || stoppedBy) return built.code;
    return (await run(desktop.binary, desktopArguments(root, args))).code;
  }
  process.stderr.write(`Electron binary not available (${desktop.unavailable}): starting the browser host instead.\n`);
  return (await run(process.execPath, [join(root, 'bin', 'bedrock-atlas.js'), 'web', ...args])).code;
}

const code = await main();
process.exit(stoppedBy ? exitCodeFor(stoppedBy) : code);
