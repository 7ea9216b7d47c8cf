import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedEnv } from '../../testing/isolated-home';

/** The CLI as a user runs it: `bin/bedrock-atlas.js` in a child process, in a HOME of its own. */

export const BIN = fileURLToPath(new URL('../../../bin/bedrock-atlas.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh HOME with its XDG directories: nothing the run reads or writes is the user's. */
export function freshHomeEnv(): Record<string, string> {
  return isolatedEnv(mkdtempSync(join(tmpdir(), 'atlas-cli-home-')));
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'x', ...options.env };
    delete env.BEDROCK_ATLAS_ENDPOINT_URL;
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(options.stdin ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
