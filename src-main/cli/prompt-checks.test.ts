import { closeSync, openSync, ftruncateSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pngHeader } from '../emulator/image-samples';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { freshHomeEnv, runCli } from './testing/run-cli';

/** What `prompt` refuses before sending anything, and how it says it. */

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_MICRO = 'amazon.nova-micro-v1:0'; // text in only

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'atlas-prompt-checks-'));
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetStats());

const prompt = (...args: string[]) => runCli(['prompt', '--endpoint-url', emulator.url, '--cache-mode', 'none', '--regions', 'us-east-1', '--region', 'us-east-1', ...args], { env: freshHomeEnv() });
const sent = () => Object.values(emulator.stats().requests).reduce((sum, calls) => sum + (calls?.ConverseStream ?? 0) + (calls?.Converse ?? 0), 0);

describe('bedrock-atlas prompt refuses before sending', () => {
  it('--temperature 7 names --temperature, not inferenceConfig.temperature; exit 2', async () => {
    const result = await prompt('--target', HAIKU, '--temperature', '7', 'hi');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: --temperature: /);
    expect(result.stderr).not.toMatch(/inferenceConfig/);
    expect(sent()).toBe(0);
  });

  it('an unknown target exits 2, as in latency, and says nothing of a matrix', async () => {
    const result = await prompt('--target', 'no-such-model-anywhere', 'hi');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No model or inference profile matches "no-such-model-anywhere"\. Search with `bedrock-atlas where NAME`/);
    expect(result.stderr).not.toMatch(/Search the matrix/);
  });

  it('an image to a model without image input: exit 2 naming the model\'s input, nothing sent', async () => {
    const image = join(dir, 'chart.png');
    writeFileSync(image, pngHeader(16, 16));
    const result = await prompt('--target', NOVA_MICRO, '--image', image, 'Describe it');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/amazon\.nova-micro-v1:0 does not take images \(its input: TEXT\)/);
    expect(sent()).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('--image /dev/zero is not a regular file: refused without reading it', async () => {
    const result = await prompt('--target', HAIKU, '--image', '/dev/zero', 'hi');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--image \/dev\/zero is not a regular file/);
  });

  it('a 1.5 GB sparse .png is refused by its size before a byte is read', async () => {
    const sparse = join(dir, 'huge.png');
    const fd = openSync(sparse, 'w');
    ftruncateSync(fd, 1.5 * 1024 * 1024 * 1024);
    closeSync(fd);
    const result = await prompt('--target', HAIKU, '--image', sparse, 'hi');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/huge\.png is 1536\.00 MB; Bedrock accepts at most 3\.75 MB per image/);
  });

  it('a file with an image name but not an image\'s first bytes is refused by them', async () => {
    const fake = join(dir, 'fake.png');
    writeFileSync(fake, 'not an image at all');
    const result = await prompt('--target', HAIKU, '--image', fake, 'hi');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fake\.png is not a PNG, JPEG, GIF or WebP image/);
  });
});
