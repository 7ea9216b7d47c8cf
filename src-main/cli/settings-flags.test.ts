import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTING_NAMES, SETTING_ROWS, SETTINGS } from '../../src-shared/contract/settings';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { parseDesktopArguments } from './app-options';
import { freshHomeEnv, runCli } from './testing/run-cli';

/** One table for the settings: the file, the Settings page, the desktop's and the CLI's flags read the same rows. */

const SAMPLE_TEXT: Record<string, string> = {
  '--regions': 'eu-west-1,us-east-1',
  '--cache-mode': 'memory',
  '--cache-dir': '/tmp/atlas-cache',
  '--max-age-hours': '6',
  '--profile': 'work',
  '--data-dir': '/tmp/atlas-data',
};

describe('the settings table', () => {
  it('gives every setting a schema, a default the schema accepts and a label; the defaults are the store\'s', () => {
    for (const name of SETTING_NAMES) {
      expect(SETTING_ROWS[name].label).not.toBe('');
      expect(SETTINGS[name].schema.safeParse(SETTING_ROWS[name].default).success).toBe(true);
      expect(DEFAULT_SETTINGS[name]).toEqual(SETTING_ROWS[name].default);
    }
  });

  it('every flag it names exists: the desktop app, `web` and every command take it, and it sets that setting', async () => {
    const flagged = SETTING_NAMES.filter((name) => SETTING_ROWS[name].flag);
    expect(flagged.length).toBeGreaterThan(0);
    for (const name of flagged) {
      const flag = SETTING_ROWS[name].flag!.name;
      const { overrides } = parseDesktopArguments([flag, SAMPLE_TEXT[flag]!]);
      expect(Object.keys(overrides)).toEqual([name]);
    }
    const help = await runCli(['latency', '--help'], { env: freshHomeEnv() });
    for (const name of flagged) expect(help.stdout).toContain(`${SETTING_ROWS[name].flag!.name} ${SETTING_ROWS[name].flag!.value}`);
    // Settings with no flag are named by none: the page cannot point at a flag that does not exist.
    expect(help.stdout).not.toMatch(/--theme|--history-limit/);
  });

  it('a bad value names the flag the user typed and what is allowed', () => {
    expect(() => parseDesktopArguments(['--max-age-hours', '0'])).toThrow(/option '--max-age-hours <hours>' argument '0' is invalid\. The maximum age must be more than 0 hours/);
    expect(() => parseDesktopArguments(['--cache-dir', 'relative/dir'])).not.toThrow();
  });
});

describe('the CLI and the app share settings.json', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  function homeWithSettings(settings: Record<string, unknown>) {
    const env = freshHomeEnv();
    const dir = join(env.XDG_CONFIG_HOME!, 'bedrock-atlas');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));
    return { env, file: join(dir, 'settings.json') };
  }

  it('reads regions and the cache mode from the settings file; a flag overrides it for that run and is not saved', async () => {
    const { env, file } = homeWithSettings({ regions: ['eu-west-1', 'ap-northeast-1'], cacheMode: 'none' });
    const saved = readFileSync(file, 'utf8');
    const fromFile = await runCli(['catalog', '--json', '--endpoint-url', emulator.url], { env });
    expect(fromFile.code).toBe(0);
    expect(Object.keys(JSON.parse(fromFile.stdout).regions).sort()).toEqual(['ap-northeast-1', 'eu-west-1']);
    // cacheMode none from the file: no cache was written.
    expect(fromFile.stderr).not.toMatch(/cache \//);

    const overridden = await runCli(['catalog', '--json', '--endpoint-url', emulator.url, '--regions', 'us-east-1'], { env });
    expect(Object.keys(JSON.parse(overridden.stdout).regions)).toEqual(['us-east-1']);
    expect(readFileSync(file, 'utf8')).toBe(saved);
  });

  it('reads the data directory from the settings file', async () => {
    const dataHome = freshHomeEnv().HOME!;
    const { env } = homeWithSettings({ dataDir: join(dataHome, 'atlas-data') });
    const history = await runCli(['history'], { env });
    expect(history.code).toBe(0);
    expect(history.stdout).toContain(join(dataHome, 'atlas-data', 'history.duckdb'));
  });

  it('--regions us-east1 offers "did you mean us-east-1"', async () => {
    const result = await runCli(['catalog', '--regions', 'us-east1'], { env: freshHomeEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown region "us-east1"\. Did you mean us-east-1\?/);
  });
});
