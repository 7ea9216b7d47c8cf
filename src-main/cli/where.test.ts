import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { checksumOf, CACHE_FILE_NAME } from '../core/catalog/cache';
import type { CatalogDocument } from '../../src-shared/catalog/document';

const BIN = fileURLToPath(new URL('../../bin/bedrock-atlas.js', import.meta.url));
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDWHERE', AWS_SECRET_ACCESS_KEY: 'x' };
    delete env.BEDROCK_ATLAS_ENDPOINT_URL;
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bedrock-atlas help', () => {
  it('with no command prints the help with examples on stdout', async () => {
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Commands:[\s\S]*where \[options\] <model>/);
    expect(result.stdout).toMatch(/Examples:\n {2}bedrock-atlas web/);
    expect(result.stdout).toContain('bedrock-atlas where "claude 3 haiku"');
  });

  it.each(['catalog', 'where', 'web'])('%s --help lists the shared options under their own headings', async (command) => {
    const result = await run(command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Shared AWS options:\n {2}--endpoint-url <url>[\s\S]*--profile <name>[\s\S]*--regions <list>/);
    expect(result.stdout).toMatch(/Shared catalog options:\n {2}--cache-mode <mode>[\s\S]*--cache-dir[\s\S]*--max-age-hours[\s\S]*--no-bundled/);
  });

  it('catalog --help explains what it does without options, with examples', async () => {
    const result = await run('catalog', '--help');
    expect(result.stdout).toContain('Without an option it prints a summary');
    expect(result.stdout).toMatch(/Examples:\n {2}bedrock-atlas catalog /);
  });
});

describe('bedrock-atlas where against the emulator', () => {
  let emulator: RunningEmulator;
  const scope = (...regions: string[]) => ['--cache-mode', 'none', '--regions', regions.join(','), '--endpoint-url', emulator.url];
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('prints a table of every region: how the model is called there and the ids to invoke, unknown where the scan failed', async () => {
    const result = await run('where', 'claude 3 haiku', ...scope('us-east-1', 'us-east-2', 'eu-central-1', 'us-west-1', 'me-south-1'));
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Claude 3 Haiku (${HAIKU}), Anthropic`);
    expect(lines).toContain(`us-east-1     on demand    ${HAIKU}`);
    expect(lines).toContain(`us-east-2     geo profile  us.${HAIKU}`);
    expect(lines).toContain(`eu-central-1  on demand    ${HAIKU}, eu.${HAIKU}`);
    expect(lines).toContain('us-west-1     not offered  –');
    expect(lines).toContain('me-south-1    unknown      scan failed: UnrecognizedClientException');
    expect(result.stdout).toMatch(/Callable in 3 of 5 regions: on demand in 2, through a profile only in 1; unknown in 1 \(scan failed\)\./);
  });

  it('--json gives each region its "how" and invoke ids, by the documented precedence', async () => {
    const result = await run('where', HAIKU, '--json', ...scope('us-east-1', 'us-east-2', 'us-west-1', 'me-south-1'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      modelId: HAIKU,
      regions: {
        'us-east-1': { how: 'on-demand', invokeIds: [HAIKU] },
        'us-east-2': { how: 'geo-profile', invokeIds: [`us.${HAIKU}`] },
        'us-west-1': { how: 'none', invokeIds: [] },
        'me-south-1': { how: 'unknown', invokeIds: [] },
      },
    });
  });

  it('--json says global-profile, provisioned and listed where nothing better exists', async () => {
    const result = await run('where', 'amazon.nova-2-lite-v1:0', '--json', ...scope('eu-west-2'));
    expect(JSON.parse(result.stdout).regions['eu-west-2']).toEqual({ how: 'global-profile', invokeIds: ['global.amazon.nova-2-lite-v1:0'] });
    const provisioned = await run('where', 'amazon.nova-2-lite-v1:0:256k', '--json', ...scope('us-east-1'));
    expect(JSON.parse(provisioned.stdout).regions['us-east-1']).toEqual({ how: 'provisioned', invokeIds: [] });
    const listed = await run('where', 'amazon.nova-premier-v1:0:8k', '--json', ...scope('us-east-1'));
    expect(JSON.parse(listed.stdout).regions['us-east-1']).toEqual({ how: 'listed', invokeIds: [] });
  });

  it('--from ranks the routes from that region, best first', async () => {
    const result = await run('where', 'claude-3-haiku', '--from', 'us-east-2', ...scope('us-east-1', 'us-east-2', 'eu-west-1'));
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[2]).toBe('Routes from us-east-2, best first:');
    expect(lines[3]).toMatch(new RegExp(`^ 1\\. us\\.${HAIKU.replace(/\./g, '\\.')}\\s+call us-east-2\\s+geo profile$`));
    expect(lines[5]).toMatch(/^ 2\. anthropic\.claude-3-haiku\S+\s+call us-east-1\s+on demand$/);
    expect(lines[7]).toMatch(/^ 3\. anthropic\.claude-3-haiku\S+\s+call eu-west-1\s+on demand$/);
    const json = JSON.parse((await run('where', HAIKU, '--from', 'us-east-2', '--json', ...scope('us-east-1', 'us-east-2'))).stdout);
    expect(json.from).toBe('us-east-2');
    expect(json.routes.map((route: { invokeId: string }) => route.invokeId)).toEqual([`us.${HAIKU}`, HAIKU]);
  });

  it.each([
    [['where', 'constructor'], /No model matches "constructor" in the catalog/],
    [['where', '__proto__'], /No model matches "__proto__" in the catalog/],
    [['where', 'claude 3 haiku', '--from', 'mars-1'], /Unknown region "mars-1"\. Valid choices: us-east-1/],
    [['where'], /missing required argument 'model'/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const result = await run(...args, ...scope('us-east-1'));
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('text from catalog data reaches the terminal without control characters', () => {
  it('a cache file with an escape sequence in a model name, a provider and an error cannot retitle the terminal', async () => {
    const bundled = JSON.parse(readFileSync(fileURLToPath(new URL('../../bundled/bedrock_catalog_bundled.json', import.meta.url)), 'utf8')) as CatalogDocument;
    const forged = '\u001b]0;pwned\u0007';
    const haiku = bundled.models[HAIKU];
    if (!haiku) throw new Error(`${HAIKU} is not in the bundled catalog`);
    const document: CatalogDocument = {
      ...bundled,
      source: 'api',
      generatedAt: new Date().toISOString(),
      regions: { ...bundled.regions, 'me-south-1': { status: 'error', error: { code: `Denied${forged}`, message: `\u001b[2J${forged}` } } },
      models: {
        ...bundled.models,
        [HAIKU]: { ...haiku, modelName: `Claude 3 Haiku${forged}`, providerName: `Anthropic${forged}\u202e` },
      },
    };
    const cacheDir = mkdtempSync(join(tmpdir(), 'atlas-forged-'));
    writeFileSync(join(cacheDir, CACHE_FILE_NAME), JSON.stringify({ ...document, checksum: checksumOf(document) }));
    const offline = ['--cache-dir', cacheDir, '--no-bundled', '--endpoint-url', 'http://127.0.0.1:9'];

    for (const args of [['where', HAIKU], ['catalog'], ['where', HAIKU, '--from', 'me-south-1']]) {
      const result = await run(...args, ...offline);
      expect(result.code, result.stderr).toBe(0);
      for (const character of ['\u001b', '\u0007', '\u202e']) expect(result.stdout + result.stderr).not.toContain(character);
      expect(result.stdout + result.stderr).toContain(']0;pwned');
    }
    // JSON keeps the data exact: the escape travels as the six characters \u001b, which a terminal shows as text.
    const json = await run('catalog', '--json', ...offline);
    expect(json.stdout).not.toContain('\u001b');
    expect(json.stdout).toContain('Claude 3 Haiku\\u001b]0;pwned\\u0007');
  });
});
