import { _electron as electron, test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processHome } from '../fixtures/processes';

const root = join(import.meta.dirname, '..', '..');

function electronBinary(): string | null {
  try {
    const relative = readFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'utf8').trim();
    const binary = join(root, 'node_modules', 'electron', 'dist', relative);
    return existsSync(binary) && existsSync(join(root, 'out', 'main', 'main.js')) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.log('Electron specs skipped: no Electron binary in node_modules/electron (it downloads on first `npm start` where the network allows) or no `npm run build` output.');
}

test.describe('desktop window', () => {
  test.skip(!binary, 'No Electron binary on this machine: the browser-host specs cover the dashboard; these cover the window.');

  test('is sandboxed and context-isolated, and the bridge exposes exactly the contract', async () => {
    const app = await electron.launch({ executablePath: binary!, args: [root], env: { ...process.env, ...processHome('electron').env, AWS_ACCESS_KEY_ID: 'AKIDE2E', AWS_SECRET_ACCESS_KEY: 'x' } });
    try {
      const window = await app.firstWindow();
      // Sandbox + context isolation + no node integration: the page sees neither Node nor the preload's scope.
      const globals = await window.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        ipcRenderer: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer,
      }));
      expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
      const opened = await window.evaluate(() => globalThis.open('https://example.com') === null);
      expect(opened).toBe(true);
      const methods = await window.evaluate(() => Object.keys((globalThis as unknown as { atlas: { api: object } }).atlas.api).sort());
      const { METHOD_NAMES, STREAM_NAMES } = await import('../../src-shared/methods');
      expect(methods).toEqual([...METHOD_NAMES].sort());
      const streams = await window.evaluate(() => Object.keys((globalThis as unknown as { atlas: { streams: object } }).atlas.streams).sort());
      expect(streams).toEqual([...STREAM_NAMES].sort());
      // Served from the app:// protocol, never file://; every permission is denied.
      expect(window.url()).toMatch(/^app:\/\/bedrock-atlas\//);
      expect(await window.evaluate(() => Notification.requestPermission())).toBe('denied');
      const info = await window.evaluate(() => (globalThis as unknown as { atlas: { api: { getAppInfo: () => Promise<unknown> } } }).atlas.api.getAppInfo());
      expect(info).toMatchObject({ ok: true, value: { transport: 'electron' } });
      const invalid = await window.evaluate(() => (globalThis as unknown as { atlas: { api: { findModel: (input: unknown) => Promise<unknown> } } }).atlas.api.findModel({ query: 5 }));
      expect(invalid).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
      // Navigation away from the dashboard is refused.
      const before = window.url();
      await window.evaluate(() => void (globalThis.location.href = 'https://example.com/'));
      await window.waitForTimeout(500);
      expect(window.url()).toBe(before);
    } finally {
      await app.close();
    }
  });
});
