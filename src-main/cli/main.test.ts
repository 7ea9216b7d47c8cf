import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { startEmulator, type RunningEmulator } from '../emulator/server';

const BIN = fileURLToPath(new URL('../../bin/bedrock-atlas.js', import.meta.url));
const SDK_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return collect(spawn(process.execPath, [BIN, ...args], { env }));
}

function collect(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI process', () => {
  let emulator: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startEmulator();
    env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDMAIN', AWS_SECRET_ACCESS_KEY: 'x' };
    // What a user's shell has: not the test run's switch.
    delete env[SDK_WARNING_SWITCH];
    delete env.BEDROCK_ATLAS_ENDPOINT_URL;
  });
  afterAll(() => emulator.close());
  const catalogArgs = () => ['catalog', '--refresh', '--json', '--cache-mode', 'none', '--regions', 'us-east-1,eu-west-1,ap-northeast-1', '--endpoint-url', emulator.url];

  it('mentions the Node version at most once, in one line, however many SDK clients a command creates', async () => {
    const result = await runCli(catalogArgs(), env);
    expect(result.code).toBe(0);
    const nodeVersionLines = result.stderr.split('\n').filter((line) => /NodeVersionSupportWarning|node >=|Node v?\d+.*(end of life|Node 22)/i.test(line));
    expect(nodeVersionLines).toEqual(
      NODE_MAJOR < 22 ? [`Note: Node ${process.version} is past its end of life; AWS SDK releases from January 2027 on need Node 22 or later.`] : [],
    );
    expect(result.stderr).not.toMatch(/To continue receiving updates|a\.co\/c895JFp/);
  });

  it('stays quiet about the Node version when the SDK switch is already set', async () => {
    const result = await runCli(catalogArgs(), { ...env, [SDK_WARNING_SWITCH]: 'true' });
    expect(result.stderr).not.toMatch(/end of life|NodeVersionSupportWarning/);
  });

  it.skipIf(process.platform === 'win32')('ends quietly when the reader of its output goes away early (a closed pipe is not a crash)', async () => {
    const quoted = [process.execPath, BIN, ...catalogArgs()].map((word) => `'${word}'`).join(' ');
    // `; echo` reports the CLI's own exit status (a POSIX shell reports only the last command of a pipeline).
    const result = await collect(spawn('sh', ['-c', `{ ${quoted}; echo "cli exit $?" >&2; } | head -c 100 > /dev/null`], { env }));
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(result.stderr).toMatch(/^cli exit 0$/m);
  });
});

describe('a test worker', () => {
  it('prints no AWS SDK Node-version warning (vitest.config.ts sets the SDK switch for the workers)', async () => {
    expect(process.env[SDK_WARNING_SWITCH]).toBe('true');
    const warnings: string[] = [];
    const collect = (warning: Error) => warnings.push(warning.message);
    process.on('warning', collect);
    try {
      new BedrockClient({ region: 'us-east-1' }).destroy();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', collect);
    }
    expect(warnings.filter((message) => message.includes('NodeVersionSupportWarning'))).toEqual([]);
  });
});
