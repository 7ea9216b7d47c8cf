import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectFile } from '../cli/project-files';

/**
 * `npm start`: the desktop app where an Electron binary is present or can be downloaded; otherwise one line saying
 * why, then the same dashboard through the browser host. Arguments after `--` go to either.
 */
// Long enough for a ~100 MB download on a decent line; with no network the attempt fails within seconds.
const DOWNLOAD_TIMEOUT_MS = 60_000;
const root = projectFile('.');
const args = process.argv.slice(2);
const electronDir = join(root, 'node_modules', 'electron');

function electronBinary(): string | null {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const binary = join(electronDir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function tryDownload(): string | null {
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: DOWNLOAD_TIMEOUT_MS });
  if (result.status === 0) return null;
  const output = `${result.stderr ?? ''}${result.error?.message ?? ''}`;
  const reason = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|ETIMEDOUT|network|fetch failed/i.test(output)
    ? 'no network to download it'
    : result.error?.message.includes('ETIMEDOUT') || result.signal
      ? 'the download timed out'
      : (output.trim().split('\n').find((line) => /error/i.test(line)) ?? 'the download failed').trim().slice(0, 160);
  return reason;
}

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env, cwd: root });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const require = createRequire(import.meta.url);
let binary = electronBinary();
let unavailable: string | null = null;
if (!binary && process.env.BEDROCK_ATLAS_NO_ELECTRON !== '1') {
  unavailable = tryDownload();
  binary = electronBinary();
} else if (!binary) {
  unavailable = 'BEDROCK_ATLAS_NO_ELECTRON=1';
}

if (binary) {
  const built = await run(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build']);
  if (built !== 0) process.exit(built);
  const endpoint = args.indexOf('--endpoint-url');
  const env = endpoint >= 0 ? { ...process.env, BEDROCK_ATLAS_ENDPOINT_URL: args[endpoint + 1] } : process.env;
  process.exit(await run(binary, [root], env));
} else {
  process.stderr.write(`Electron binary not available (${unavailable ?? 'not installed'}): starting the browser host instead.\n`);
  process.exit(await run(process.execPath, [join(root, 'bin', 'bedrock-atlas.js'), 'web', ...args]));
}
