import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, freshHomeEnv, runCli } from './testing/run-cli';

/** How the CLI starts: which code it runs, what it loads for --help and --version, and what it says. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('bedrock-atlas --version and --help', () => {
  it.each([['--version'], ['--help'], ['-v'], ['catalog', '--help']])('%s prints on stdout and nothing on stderr, on every Node', async (...args) => {
    const env = { ...freshHomeEnv() } as NodeJS.ProcessEnv;
    // What a user's shell has: the SDK's switch unset, so the Node 20 note would be printed if anything printed it.
    const result = await runCli(args, { env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' } });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toBe('');
    expect(result.stderr).toBe('');
  });

  it('loads no AWS SDK, no DuckDB, no schema library and no core module to print the help or the version', () => {
    // A resolve hook lists every module the TypeScript run (BEDROCK_ATLAS_DEV=1: one file per module) resolves.
    const hook = `data:text/javascript,${encodeURIComponent(`
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("resolved " + r.url + "\\\\n"); return r; }'));
    `)}`;
    const resolved = (args: string[]) => {
      const result = spawnSync(process.execPath, ['--import', hook, BIN, ...args], { env: { ...process.env, ...freshHomeEnv(), BEDROCK_ATLAS_DEV: '1' }, encoding: 'utf8' });
      expect(result.status).toBe(0);
      return result.stderr.split('\n').filter((line) => line.startsWith('resolved '));
    };
    const heavy = /@aws-sdk|@smithy|@duckdb|node_modules\/zod|src-main\/core|src-main\/emulator|src-shared\/contract\/(index|latency|playground|catalog|settings)\.ts/;
    for (const args of [['--version'], ['--help'], ['latency', '--help']]) {
      const modules = resolved(args);
      // --version is answered by the bin itself; the help is commander's, from the command definitions.
      expect(modules.some((line) => line.includes('src-main/cli/program.ts'))).toBe(args[0] !== '--version');
      expect(modules.filter((line) => heavy.test(line))).toEqual([]);
    }
    // The same hook sees a command's work load its modules when it runs.
    const where = spawnSync(process.execPath, ['--import', hook, BIN, 'where', 'nova', '--cache-mode', 'none', '--regions', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'], {
      env: { ...process.env, ...freshHomeEnv(), BEDROCK_ATLAS_DEV: '1' },
      encoding: 'utf8',
    });
    expect(where.stderr).toMatch(/resolved .*src-main\/core\/app\/atlas-core\.ts/);
  });
});

describe('bin/bedrock-atlas.js', () => {
  /** A copy of the bin in a tree of its own, with a "build" and a "source" that each say which one ran. */
  function fakeTree() {
    const root = mkdtempSync(join(tmpdir(), 'atlas-bin-'));
    mkdirSync(join(root, 'bin'));
    copyFileSync(BIN, join(root, 'bin', 'bedrock-atlas.js'));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    mkdirSync(join(root, 'src-main', 'cli'), { recursive: true });
    writeFileSync(join(root, 'src-main', 'cli', 'main.ts'), "console.log('source');\n");
    mkdirSync(join(root, 'out', 'cli'), { recursive: true });
    writeFileSync(join(root, 'out', 'cli', 'main.js'), "console.log('build');\n");
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'src-main', 'cli', 'main.ts'), past, past);
    writeFileSync(join(root, 'out', 'cli', 'inputs.json'), JSON.stringify({ builtAt: Date.now(), inputs: ['src-main/cli/main.ts'] }));
    const run = (env: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [join(root, 'bin', 'bedrock-atlas.js')], { env: { ...process.env, BEDROCK_ATLAS_DEV: '', ...env }, encoding: 'utf8' }).stdout.trim();
    return { root, run };
  }

  it('runs the install-time build while it is newer than every source it was built from', () => {
    expect(fakeTree().run()).toBe('build');
  });

  it('runs the TypeScript when a source changed after the build, when the build is missing, or with BEDROCK_ATLAS_DEV=1', () => {
    const edited = fakeTree();
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(edited.root, 'src-main', 'cli', 'main.ts'), future, future);
    expect(edited.run()).toBe('source');

    const unbuilt = fakeTree();
    writeFileSync(join(unbuilt.root, 'out', 'cli', 'inputs.json'), 'not json');
    expect(unbuilt.run()).toBe('source');

    expect(fakeTree().run({ BEDROCK_ATLAS_DEV: '1' })).toBe('source');
  });
});
