import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../emulator/server';

const START = fileURLToPath(new URL('./start.ts', import.meta.url));

describe('npm start without an Electron binary', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('says why in one line and serves the dashboard through the browser host', async () => {
    const home = await mkdtemp(join(tmpdir(), 'atlas-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', START, '--no-open', '--port', '0', '--endpoint-url', emulator.url, '--cache-mode', 'none'], {
      env: { ...process.env, BEDROCK_ATLAS_NO_ELECTRON: '1', XDG_CONFIG_HOME: home, AWS_ACCESS_KEY_ID: 'AKIDSTART', AWS_SECRET_ACCESS_KEY: 'x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const launchUrl = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          const match = /^Bedrock Atlas: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/m.exec(stdout);
          if (match) resolve(match[1]);
        });
        void exited.then((code) => reject(new Error(`start exited with ${code}: ${stderr}`)));
      });
      expect(stderr.split('\n').filter((line) => line.startsWith('Electron binary not available'))).toEqual([
        'Electron binary not available (BEDROCK_ATLAS_NO_ELECTRON=1): starting the browser host instead.',
      ]);
      const { origin, hash } = new URL(launchUrl);
      const info = await fetch(`${origin}/api/getAppInfo`, { method: 'POST', headers: { authorization: `Bearer ${hash.replace('#token=', '')}` }, body: '{}' });
      expect(await info.json()).toMatchObject({ ok: true, value: { transport: 'web', endpointUrl: emulator.url } });
    } finally {
      child.kill('SIGTERM');
      // The launcher forwards the signal to the host and exits with it: nothing is left running.
      await exited;
    }
  }, 60_000);
});
