import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/bedrock-atlas.js', import.meta.url));

describe('bedrock-atlas emulator', () => {
  it('runs a built-in scenario by name and serves it on the control API', async () => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--scenario', 'realistic'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          const announced = /Bedrock emulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
          if (announced) resolve(announced);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      const scenario = await (await fetch(`${url}/_emulator/scenario`)).json();
      expect(scenario.name).toBe('realistic');
      expect(scenario.timeToFirstTokenMs['us-east-1']).toMatchObject({ medianMs: expect.any(Number), spreadMs: expect.any(Number) });
      await expect.poll(() => stderr).toMatch(/with scenario "realistic"/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exits 2 naming the bad field of a scenario file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'emulator-cli-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ networkDrops: [{ afterTokens: -2 }] }));
    const result = spawnSync(process.execPath, [BIN, 'emulator', '--scenario', file], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/networkDrops\.0\.afterTokens/);
    expect(result.stdout).toBe('');
  });
});
