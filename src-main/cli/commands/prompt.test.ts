import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pngHeader } from '../../emulator/image-samples';
import { parseScenario } from '../../emulator/scenario';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { waitFor } from '../../testing/emulated-core';

/** `bedrock-atlas prompt` as a user runs it: the real CLI in a child process against the emulator. */

const BIN = fileURLToPath(new URL('../../../bin/bedrock-atlas.js', import.meta.url));
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), 'atlas-prompt-'));
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.setScenario(parseScenario({ perTokenMs: { '*': 1 } }));
  emulator.resetStats();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function prompt(args: string[], options: { stdin?: string; interruptAfterOutput?: boolean } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'x' };
    delete env.BEDROCK_ATLAS_ENDPOINT_URL;
    const child = spawn(process.execPath, [BIN, 'prompt', '--endpoint-url', emulator.url, '--cache-mode', 'none', '--regions', 'us-east-1,eu-west-1', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (options.interruptAfterOutput && stdout.length > 0) {
        options.interruptAfterOutput = false;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bedrock-atlas prompt', () => {
  it('streams the answer to stdout and prints the figures on stderr', async () => {
    const result = await prompt(['--target', HAIKU, '--region', 'us-east-1', '--max-tokens', '20', 'Why is the sky blue?']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split(/\s+/).length).toBeGreaterThan(5);
    expect(result.stderr).toMatch(/TTFT \d+ ms · E2E \d+ ms · [\d.]+ tok\/s · in \d+ \/ out 20 tokens · stop max_tokens · server \d+ ms · anthropic\.claude-3-haiku-20240307-v1:0 from us-east-1 \(on demand\)/);
  });

  it('--json prints one document with the result’s shape', async () => {
    const result = await prompt(['--target', HAIKU, '--region', 'us-east-1', '--max-tokens', '10', '--latency', 'standard', '--json', 'hi']);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document).sort()).toEqual(['api', 'metrics', 'requestId', 'route', 'sentAt', 'served', 'stopReason', 'text', 'usage']);
    // Bedrock's request id (x-amzn-requestid): what CloudTrail's event of this call carries.
    expect(document.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(document.route).toEqual({ invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' });
  });

  it('reads the prompt from stdin with "-" or no TEXT', async () => {
    const dash = await prompt(['--target', HAIKU, '--region', 'us-east-1', '--max-tokens', '5', '-'], { stdin: 'Hello from a pipe' });
    const none = await prompt(['--target', HAIKU, '--region', 'us-east-1', '--max-tokens', '5'], { stdin: 'Hello from a pipe' });
    expect([dash.code, none.code]).toEqual([0, 0]);
    expect(dash.stdout).toBe(none.stdout);
    expect(dash.stdout.length).toBeGreaterThan(2);
  });

  it('a bare id that needs a profile: exit 1 naming the profile ids, nothing sent', async () => {
    const result = await prompt(['--target', HAIKU_45, '--region', 'us-east-1', 'hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/NeedsInferenceProfile: .*Use us\.anthropic\.claude-haiku-4-5-20251001-v1:0 or global\.anthropic\.claude-haiku-4-5-20251001-v1:0/);
    expect(emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  it('--auto-profile calls the best profile and says so on stderr', async () => {
    const result = await prompt(['--target', HAIKU_45, '--region', 'us-east-1', '--auto-profile', '--max-tokens', '5', 'hi']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/auto-profile: anthropic\.claude-haiku-4-5-20251001-v1:0 is served in us-east-1 only through profiles; calling us\.anthropic\.claude-haiku-4-5-20251001-v1:0/);
    expect(result.stderr).toMatch(/routed automatically from/);
  });

  it('Ctrl+C aborts the request upstream, keeps the partial text and exits 130', async () => {
    emulator.setScenario(parseScenario({ perTokenMs: { '*': 30 } }));
    const result = await prompt(['--target', HAIKU, '--region', 'us-east-1', '--max-tokens', '400', 'a long story'], { interruptAfterOutput: true });
    expect(result.code).toBe(130);
    expect(result.stdout.length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/Interrupted: the request was aborted upstream/);
    await waitFor(() => (emulator.stats().abortedStreams['us-east-1'] ?? 0) === 1);
  });

  it('mid-stream throttling: the partial text stays printed, the error names it, exit 1', async () => {
    emulator.setScenario(parseScenario({ perTokenMs: { '*': 1 }, midStreamErrors: [{ afterTokens: 4, exception: 'throttlingException' }] }));
    const result = await prompt(['--target', HAIKU, '--region', 'us-east-1', '--max-tokens', '50', 'hi']);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split(/\s+/)).toHaveLength(4);
    expect(result.stderr).toMatch(/ThrottlingException: Bedrock throttled .* \(the text received before it is kept\)/);
  });

  it.each([
    ['an empty prompt', ['  '], /The prompt is empty/],
    ['maxTokens above the bound', ['--max-tokens', '200001', 'hi'], /--max-tokens may be at most 200000/],
    ['maxTokens of zero', ['--max-tokens', '0', 'hi'], /--max-tokens must be at least 1/],
    ['maxTokens that is not a whole number', ['--max-tokens', '1.5', 'hi'], /"1.5" is not a whole number/],
    ['an unknown latency mode', ['--latency', 'fast', 'hi'], /Allowed choices are standard, optimized/],
    ['an unknown region', ['--region', 'mars-1', 'hi'], /Unknown region "mars-1"/],
  ])('exits 2 for %s', async (_case, args, message) => {
    const result = await prompt(['--target', HAIKU, '--region', 'us-east-1', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for an image that is too large or of the wrong type, before any call', async () => {
    const large = join(dir, 'large.png');
    await writeFile(large, Buffer.concat([pngHeader(100, 100), Buffer.alloc(4 * 1024 * 1024)]));
    const text = join(dir, 'notes.png');
    await writeFile(text, 'just text, named like an image');
    const tooLarge = await prompt(['--target', 'amazon.nova-lite-v1:0', '--region', 'us-east-1', '--image', large, 'what is this?']);
    const wrongType = await prompt(['--target', 'amazon.nova-lite-v1:0', '--region', 'us-east-1', '--image', text, 'what is this?']);
    expect([tooLarge.code, wrongType.code]).toEqual([2, 2]);
    expect(tooLarge.stderr).toMatch(/large\.png is 4\.00 MB; Bedrock accepts at most 3\.75 MB per image/);
    expect(wrongType.stderr).toMatch(/notes\.png is not a PNG, JPEG, GIF or WebP image/);
    expect(emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  it('sends an image to a model that takes images', async () => {
    const image = join(dir, 'small.png');
    await writeFile(image, pngHeader(32, 32));
    const result = await prompt(['--target', 'amazon.nova-lite-v1:0', '--region', 'us-east-1', '--image', image, '--max-tokens', '5', 'what is this?']);
    expect(result.code).toBe(0);
  });
});
