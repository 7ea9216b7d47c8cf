import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingsSchema, type SettingsPatch } from '../../../src-shared/contract';
import { DEFAULT_SETTINGS, defaultSettingsPath, InvalidSettingsError, SettingsStore } from './settings-store';
import { EventHub } from './event-hub';

async function settingsFile(content?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-settings-'));
  const path = join(dir, 'bedrock-atlas', 'settings.json');
  if (content !== undefined) {
    await mkdir(join(dir, 'bedrock-atlas'));
    await writeFile(path, content);
  }
  return path;
}

describe('settings store', () => {
  it('starts from the defaults when there is no file yet, without a warning', async () => {
    const store = new SettingsStore(await settingsFile());
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
    expect(store.warnings).toEqual([]);
  });

  it.each([
    ['not JSON', '{"theme": "dark"', /is not valid JSON; using defaults/],
    ['invalid values', '{"theme": "purple", "maxAgeHours": -1}', /has invalid values \(maxAgeHours: .*; theme: .*\); using the defaults for those/],
    ['not an object', '["dark"]', /is not a JSON object; using defaults/],
  ])('falls back to the defaults with a warning for %s', async (_case, content, warning) => {
    const store = new SettingsStore(await settingsFile(content));
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
    expect(store.warnings).toEqual([expect.stringMatching(warning)]);
  });

  it('keeps valid saved values and fills the rest from the defaults', async () => {
    const store = new SettingsStore(await settingsFile('{"theme": "dark", "regions": ["eu-west-1"]}'));
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', regions: ['eu-west-1'] });
  });

  it('writes atomically: concurrent saves leave one whole, private file and no temp files', async () => {
    const path = await settingsFile();
    const store = new SettingsStore(path);
    await store.load();
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.update({ maxAgeHours: index + 1 })));
    expect(await readdir(join(path, '..'))).toEqual(['settings.json']);
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved).toEqual({ ...DEFAULT_SETTINGS, maxAgeHours: saved.maxAgeHours });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await new SettingsStore(path).load()).toEqual(saved);
  });

  it('refuses an invalid update and leaves the file as it was', async () => {
    const path = await settingsFile('{"theme": "light"}');
    const store = new SettingsStore(path);
    await store.load();
    await expect(store.update({ regions: ['mars-1'] })).rejects.toThrow(/Unknown region .*mars-1/);
    expect(await readFile(path, 'utf8')).toBe('{"theme": "light"}');
    expect(store.get().theme).toBe('light');
  });

  it('keeps the valid values of a file and drops the invalid one by name (a relative cache directory)', async () => {
    const store = new SettingsStore(await settingsFile('{"theme": "dark", "cacheDir": "cache", "awsProfile": "dev\\u0000x"}'));
    expect(await store.load()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(store.warnings).toEqual([expect.stringMatching(/has invalid values \(cacheDir: .*absolute path.*; awsProfile: .*NUL byte.*\)/)]);
  });

  it.each<[string, SettingsPatch, RegExp]>([
    ['a NUL byte in the cache directory', { cacheDir: '/home/ana/cache\u0000/x' }, /cacheDir: .*NUL byte/],
    ['a NUL byte in the AWS profile', { awsProfile: 'dev\u0000' }, /awsProfile: .*NUL byte/],
    ['a NUL byte in a region', { regions: ['us-east-1\u0000'] }, /regions\.0: Unknown region/],
    ['a relative cache directory', { cacheDir: 'cache' }, /cacheDir: .*absolute path/],
    ['a cache directory relative to the working directory', { cacheDir: './cache' }, /cacheDir: .*absolute path/],
    ['a home-relative cache directory (no shell expands ~ here)', { cacheDir: '~/cache' }, /cacheDir: .*absolute path/],
    ['a parent-relative cache directory', { cacheDir: '../cache' }, /cacheDir: .*absolute path/],
  ])('refuses %s with a clear error, saves nothing and keeps the old file', async (_case, patch, message) => {
    const path = await settingsFile('{"theme": "light"}');
    const store = new SettingsStore(path);
    await store.load();
    const refused = store.update(patch);
    await expect(refused).rejects.toThrow(InvalidSettingsError);
    await expect(refused).rejects.toThrow(message);
    await expect(refused).rejects.toThrow(/^Settings not saved: /);
    expect(await readFile(path, 'utf8')).toBe('{"theme": "light"}');
    expect(await readdir(join(path, '..'))).toEqual(['settings.json']);
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'light' });
  });

  it('refuses a NUL byte in every setting that takes text, including ones added later', async () => {
    const store = new SettingsStore(null);
    const textSettings = Object.entries({ cacheDir: '/home/ana/cache', awsProfile: 'dev', theme: 'dark', regions: ['eu-west-1'] });
    const checked: string[] = [];
    for (const key of Object.keys(SettingsSchema.shape)) {
      const sample = textSettings.find(([name]) => name === key)?.[1] ?? 'x';
      if (!SettingsSchema.shape[key as keyof typeof SettingsSchema.shape].safeParse(sample).success) continue;
      const withNul = Array.isArray(sample) ? [`${sample[0]}\u0000`] : `${sample}\u0000`;
      await expect(store.update({ [key]: withNul } as SettingsPatch), key).rejects.toThrow(InvalidSettingsError);
      checked.push(key);
    }
    expect(checked).toEqual(expect.arrayContaining(['regions', 'cacheDir', 'awsProfile', 'theme']));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('accepts absolute cache directories, POSIX and Windows', async () => {
    const store = new SettingsStore(null);
    expect((await store.update({ cacheDir: '/var/cache/atlas' })).cacheDir).toBe('/var/cache/atlas');
    expect((await store.update({ cacheDir: 'C:\\Users\\ana\\cache' })).cacheDir).toBe('C:\\Users\\ana\\cache');
  });

  it('removes the temporary files of a save that was killed, before reading', async () => {
    const path = await settingsFile('{"theme": "dark"}');
    const killedSave = `settings.json.${spawnSync(process.execPath, ['-e', '']).pid}.0a1b2c3d.tmp`;
    await writeFile(join(path, '..', killedSave), '{"theme": "li');
    const store = new SettingsStore(path);
    expect((await store.load()).theme).toBe('dark');
    expect(await readdir(join(path, '..'))).toEqual(['settings.json']);
  });

  it('keeps settings in memory only when given no path', async () => {
    const store = new SettingsStore(null);
    await store.update({ theme: 'dark' });
    expect(store.get().theme).toBe('dark');
  });

  it('lives in the usual per-OS config directory', () => {
    expect(defaultSettingsPath('linux', {}, '/home/ana')).toBe('/home/ana/.config/bedrock-atlas/settings.json');
    expect(defaultSettingsPath('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ana')).toBe('/cfg/bedrock-atlas/settings.json');
    expect(defaultSettingsPath('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/bedrock-atlas/settings.json');
    expect(defaultSettingsPath('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toMatch(/Roaming.bedrock-atlas.settings\.json$/);
  });
});

describe('event hub', () => {
  it('delivers to every listener even when one throws, and stops after unsubscribe', () => {
    const hub = new EventHub();
    const seen: string[] = [];
    hub.subscribe(() => {
      throw new Error('closed window');
    });
    const unsubscribe = hub.subscribe((event) => seen.push(event.type));
    hub.emit({ type: 'catalog.scanFinished', payload: { scanId: 'a', cancelled: false, okRegions: 1, failedRegions: 0 } });
    unsubscribe();
    hub.emit({ type: 'catalog.scanFinished', payload: { scanId: 'b', cancelled: false, okRegions: 1, failedRegions: 0 } });
    expect(seen).toEqual(['catalog.scanFinished']);
  });
});
