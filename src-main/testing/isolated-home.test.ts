import { describe, expect, inject, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '../core/catalog/cache';
import { defaultSettingsPath } from '../core/app/settings-store';
import { defaultDataDir } from '../core/storage/history-database';
import { homeChanges, snapshotHome } from './isolated-home';

describe('every test file runs in a HOME of its own', () => {
  it('points HOME, the XDG directories and the AWS files away from the real HOME', () => {
    const realHome = inject('realHome');
    const home = homedir();
    expect(home).not.toBe(realHome);
    expect(home.startsWith(inject('homesRoot'))).toBe(true);
    for (const name of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
      expect(process.env[name]!.startsWith(`${home}/`), name).toBe(true);
    }
    expect(process.env.AWS_PROFILE).toBeUndefined();
  });

  it('so the app’s default settings, cache and history land inside it', () => {
    const home = homedir();
    for (const path of [defaultSettingsPath('linux'), defaultCacheDir('linux'), defaultDataDir('linux')]) {
      expect(path.startsWith(`${home}/`), path).toBe(true);
    }
  });
});

describe('the guard on the real HOME', () => {
  const fakeHome = () => mkdtempSync(join(tmpdir(), 'atlas-guard-'));

  it('sees nothing when the app directories were left alone, even if other directories changed', () => {
    const home = fakeHome();
    mkdirSync(join(home, '.config', 'bedrock-atlas'), { recursive: true });
    writeFileSync(join(home, '.config', 'bedrock-atlas', 'settings.json'), '{}');
    const before = snapshotHome(home);
    mkdirSync(join(home, '.config', 'other-app'), { recursive: true });
    expect(homeChanges(before, snapshotHome(home))).toEqual([]);
  });

  it('names a created directory, a new file and a rewritten file', () => {
    const home = fakeHome();
    mkdirSync(join(home, '.config', 'bedrock-atlas'), { recursive: true });
    writeFileSync(join(home, '.config', 'bedrock-atlas', 'settings.json'), '{}');
    const before = snapshotHome(home);
    mkdirSync(join(home, '.local', 'share', 'bedrock-atlas'), { recursive: true });
    writeFileSync(join(home, '.local', 'share', 'bedrock-atlas', 'history.duckdb'), 'x');
    writeFileSync(join(home, '.config', 'bedrock-atlas', 'settings.json'), '{"theme":"dark"}');
    expect(homeChanges(before, snapshotHome(home)).sort()).toEqual([
      'created ~/.local/share/bedrock-atlas',
      'created ~/.local/share/bedrock-atlas/history.duckdb',
      'modified ~/.config/bedrock-atlas/settings.json',
    ]);
  });
});
