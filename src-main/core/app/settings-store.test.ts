import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, defaultSettingsPath, SettingsStore } from './settings-store';
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
    ['invalid values', '{"theme": "purple", "maxAgeHours": -1}', /has invalid values; using defaults/],
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
