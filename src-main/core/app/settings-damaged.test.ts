import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtlasCore } from './atlas-core';

const signal = new AbortController().signal;

async function settingsDir(content: string): Promise<{ dir: string; path: string }> {
  const dir = join(await mkdtemp(join(tmpdir(), 'atlas-settings-damaged-')), 'bedrock-atlas');
  await mkdir(dir);
  const path = join(dir, 'settings.json');
  await writeFile(path, content);
  return { dir, path };
}

describe('a damaged settings file', () => {
  it('is moved aside unchanged, named on the Settings page, and a save starts a new file without losing it', async () => {
    const truncated = '{"regions": ["eu-west-1", "eu-central-1"], "theme": "da';
    const { dir, path } = await settingsDir(truncated);
    const core = await createAtlasCore({ version: '0', settingsPath: path, overrides: { cacheMode: 'none' } });
    try {
      const view = await core.handlers.getSettingsView(undefined, { signal });
      expect(view.keptAside).toMatch(/settings\.json\.damaged-/);
      expect(view.problems).toEqual([expect.stringContaining(`is not valid JSON; using defaults. The file as it was is kept in ${view.keptAside}`)]);
      expect(await readFile(view.keptAside!, 'utf8')).toBe(truncated);
      await core.handlers.updateSettings({ theme: 'dark' }, { signal });
      expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ theme: 'dark' });
      expect(await readFile(view.keptAside!, 'utf8')).toBe(truncated);
      expect((await readdir(dir)).sort()).toEqual(['settings.json', view.keptAside!.slice(dir.length + 1)].sort());
    } finally {
      await core.close();
    }
  });

  it('with some invalid values keeps a copy before a save could drop them', async () => {
    const content = '{"regions": ["eu-west-1"], "maxAgeHours": -4}';
    const { path } = await settingsDir(content);
    const core = await createAtlasCore({ version: '0', settingsPath: path, overrides: { cacheMode: 'none' } });
    try {
      expect(core.settings().regions).toEqual(['eu-west-1']);
      const view = await core.handlers.getSettingsView(undefined, { signal });
      expect(view.problems[0]).toMatch(/has invalid values \(maxAgeHours: .*\); using the defaults for those\. The file as it was is kept in /);
      expect(await readFile(view.keptAside!, 'utf8')).toBe(content);
      expect(await readFile(path, 'utf8')).toBe(content);
    } finally {
      await core.close();
    }
  });

  it('a sound file has no problems to show', async () => {
    const { path } = await settingsDir('{"theme": "light"}');
    const core = await createAtlasCore({ version: '0', settingsPath: path, overrides: { cacheMode: 'none' } });
    try {
      expect(await core.handlers.getSettingsView(undefined, { signal })).toMatchObject({ problems: [], keptAside: null });
    } finally {
      await core.close();
    }
  });
});
