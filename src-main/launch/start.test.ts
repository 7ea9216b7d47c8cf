import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { desktopArguments, downloadFailureReason } from './desktop-launch';

const START = fileURLToPath(new URL('./start.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAUNCH_LINE = /^Bedrock Atlas: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/m;

/** Every process below `pid` (pid and ppid columns work the same in procps and BSD ps). */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined) continue; // not a "pid ppid" line
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Running, as opposed to gone or a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false;
  }
}

/** The pids still running after `ms`; those are then killed, so a failing test leaves nothing behind either. */
async function runningAfter(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = pids.filter(isRunning);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = left.filter(isRunning);
  }
  for (const pid of left) process.kill(pid, 'SIGKILL');
  return left;
}

/** Resolves with the launch URL the browser host prints; rejects with stderr when the process ends first. */
function launchUrlOf(child: ChildProcess, output: { stderr: string }): Promise<string> {
  let stdout = '';
  child.stderr!.on('data', (chunk) => (output.stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const launched = LAUNCH_LINE.exec(stdout)?.[1];
      if (launched) resolve(launched);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before serving: ${output.stderr}`)));
  });
}

describe('npm start without an Electron binary', () => {
  let emulator: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startEmulator();
    env = {
      ...process.env,
      BEDROCK_ATLAS_NO_ELECTRON: '1',
      XDG_CONFIG_HOME: await mkdtemp(join(tmpdir(), 'atlas-start-')),
      AWS_ACCESS_KEY_ID: 'AKIDSTART',
      AWS_SECRET_ACCESS_KEY: 'x',
    };
  });
  afterAll(() => emulator.close());
  const appArguments = () => ['--no-open', '--port', '0', '--endpoint-url', emulator.url, '--cache-mode', 'none'];

  it('says why in one line, serves the dashboard through the browser host, and SIGTERM stops the host too', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', START, ...appArguments()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const output = { stderr: '' };
    let started: number[] = [];
    try {
      const launchUrl = await launchUrlOf(child, output);
      started = descendantsOf(child.pid!);
      expect(started.length).toBeGreaterThan(0);
      expect(output.stderr.split('\n').filter((line) => line.startsWith('Electron binary not available'))).toEqual([
        'Electron binary not available (BEDROCK_ATLAS_NO_ELECTRON=1): starting the browser host instead.',
      ]);
      const { origin, hash } = new URL(launchUrl);
      const info = await fetch(`${origin}/api/getAppInfo`, { method: 'POST', headers: { authorization: `Bearer ${hash.replace('#token=', '')}` }, body: '{}' });
      expect(await info.json()).toMatchObject({ ok: true, value: { transport: 'web', endpointUrl: emulator.url } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(143);
    expect(await runningAfter(started, 5_000)).toEqual([]);
  }, 60_000);

  it.skipIf(process.platform === 'win32')(
    'stops every process it started when npm itself gets SIGTERM (npm\'s shell does not pass it on)',
    async () => {
      const npm = spawn('npm', ['start', '--', ...appArguments()], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
      const output = { stderr: '' };
      let started: number[] = [];
      try {
        await launchUrlOf(npm, output);
        started = descendantsOf(npm.pid!);
        // npm -> sh -> the launcher -> the browser host (and its esbuild service).
        expect(started.length).toBeGreaterThanOrEqual(3);
      } finally {
        npm.kill('SIGTERM');
      }
      await exited;
      expect(await runningAfter(started, 5_000)).toEqual([]);
    },
    60_000,
  );
});

describe('npm start with the desktop app', () => {
  it('passes every argument after -- to Electron as it is, behind a -- of its own', () => {
    const userArguments = ['--endpoint-url', 'http://127.0.0.1:4010', '--profile', 'dev', '--regions', 'us-east-1,eu-west-1', '--cache-mode', 'memory', '--inspect'];
    const argv = desktopArguments('/app', userArguments);
    expect(argv).toEqual(['/app', '--', ...userArguments]);
    expect(argv.slice(argv.indexOf('--') + 1)).toEqual(userArguments);
  });

  it.each([
    ['getaddrinfo ENOTFOUND github.com', false, 'no network to download it'],
    ['', true, 'the download timed out'],
    ['Downloading electron\nHTTPError: Response code 404 (Not Found)\nat x', false, 'HTTPError: Response code 404 (Not Found)'],
    ['', false, 'the download failed'],
  ])('names why the Electron download failed: %j', (output, timedOut, reason) => {
    expect(downloadFailureReason(output, timedOut)).toBe(reason);
  });
});
