import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, freshHomeEnv } from './testing/run-cli';

/** `web` started with a PATH whose only opener is `openerScript` (none when null); resolves with what it printed once the host is up and the opener has answered. */
function startWeb(openerScript: string | null): Promise<{ stdout: string; stderr: string }> {
  const bin = mkdtempSync(join(tmpdir(), 'atlas-opener-'));
  if (openerScript !== null) writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\n${openerScript}\n`, { mode: 0o755 });
  // Only the test's opener (or none) on the PATH: the machine's own xdg-open is out of reach (Node runs by its path).
  const env = { ...process.env, ...freshHomeEnv(), PATH: bin };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'web', '--port', '0', '--no-bundled', '--cache-mode', 'none', '--regions', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'], { env });
    let stdout = '';
    let stderr = '';
    const settle = () => {
      child.kill('SIGTERM');
      child.once('close', () => resolve({ stdout, stderr }));
    };
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('Could not open a browser')) settle();
    });
  });
}

describe('bedrock-atlas web and the browser', () => {
  it('says so when no browser opener is installed, and the address still works', async () => {
    const { stdout, stderr } = await startWeb(null);
    expect(stdout).toMatch(/^Bedrock Atlas: http:\/\/127\.0\.0\.1:\d+\/#token=/m);
    expect(stderr).toMatch(/Could not open a browser \(xdg-open: not installed\); open the address above yourself, or pass --no-open/);
  });

  it('says so when the opener fails', async () => {
    const { stderr } = await startWeb('exit 3');
    expect(stderr).toMatch(/Could not open a browser \(xdg-open: exit 3\)/);
  });
});
