import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpClient } from '../../src-renderer/api/transport';
import type { RegionProgress } from '../../src-shared/events';
import { createAtlasCore, type AtlasCore } from '../core/app/atlas-core';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { startWebHost, type WebHost } from './web-host';
import { emulatedCoreOptions } from '../testing/emulated-core';

/**
 * The whole browser path without a browser: the renderer's HTTP client, real fetch, the real host, the real
 * composition root, the real SDK and the emulator.
 */

const SECRET = 'transport-test-secret-never-shown';
let emulator: RunningEmulator;
let core: AtlasCore;
let host: WebHost;
let settingsPath: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-transport-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Bedrock Atlas</title>');
  settingsPath = join(dir, 'config', 'settings.json');
  emulator = await startEmulator();
  core = await createAtlasCore(
    emulatedCoreOptions(emulator.url, {
      version: '1.2.3',
      settingsPath,
      overrides: { regions: ['us-east-1', 'eu-west-1'] },
      credentials: { accessKeyId: 'AKIDTRANSPORT', secretAccessKey: SECRET },
    }),
  );
  host = await startWebHost({ dispatcher: core.dispatcher, subscribe: (listener) => core.events.subscribe(listener), rendererDir: dir });
});

afterAll(async () => {
  core?.close();
  await host?.close();
  await emulator?.close();
});

describe('renderer HTTP transport against the browser host', () => {
  it('round-trips contract calls and streams the refresh progress as events', async () => {
    const client = createHttpClient({ baseUrl: host.url, token: host.token });
    try {
      expect(client.transport).toBe('web');
      const progress: RegionProgress[] = [];
      client.events.on('catalog.progress', (event) => progress.push(event));
      await new Promise<void>((resolve) => client.connection.onChange((state) => state === 'open' && resolve()));

      const snapshot = await client.api.refreshCatalog({ regions: ['us-east-1', 'eu-west-1'] });
      expect(snapshot.meta.simulated).toBe(true);
      expect(snapshot.document.regions['us-east-1']).toMatchObject({ status: 'ok' });
      await expect.poll(() => progress.filter((event) => event.phase === 'done').map((event) => event.region).sort()).toEqual(['eu-west-1', 'us-east-1']);

      const info = await client.api.getAppInfo();
      expect(info).toMatchObject({ name: 'Bedrock Atlas', version: '1.2.3', transport: 'web', endpointUrl: emulator.url, simulated: true, awsProfile: null });
      expect(JSON.stringify(info)).not.toMatch(/AKIDTRANSPORT|transport-test-secret/);
    } finally {
      client.close();
    }
  });

  it('throws named errors that keep their code and issues', async () => {
    const client = createHttpClient({ baseUrl: host.url, token: host.token });
    try {
      const invalid = await client.api.bestRegions({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', fromRegion: 'mars-1' }).catch((error: unknown) => error);
      expect(invalid).toMatchObject({ name: 'ValidationError', code: 'INVALID_ARGUMENT' });
      expect((invalid as { issues: { path: string; message: string }[] }).issues).toEqual([
        expect.objectContaining({ path: 'fromRegion', message: expect.stringMatching(/Unknown region "mars-1"/) }),
      ]);
    } finally {
      client.close();
    }
  });

  it('saves settings through the contract to the settings file', async () => {
    const client = createHttpClient({ baseUrl: host.url, token: host.token });
    try {
      const saved = await client.api.updateSettings({ theme: 'dark' });
      expect(saved.theme).toBe('dark');
      expect(await client.api.getSettings()).toMatchObject({ theme: 'dark' });
      expect(JSON.parse(await readFile(settingsPath, 'utf8'))).toMatchObject({ theme: 'dark' });
      await expect(client.api.updateSettings({ maxAgeHours: -1 })).rejects.toMatchObject({ name: 'ValidationError' });
    } finally {
      client.close();
    }
  });

  it('reports a missing token as Unauthorized and an unreachable host as ConnectionLost', async () => {
    const anonymous = createHttpClient({ baseUrl: host.url, token: null });
    const gone = createHttpClient({ baseUrl: 'http://127.0.0.1:1', token: host.token, reconnectDelayMs: () => 60_000 });
    try {
      await expect(anonymous.api.getAppInfo()).rejects.toMatchObject({ name: 'Unauthorized', code: 'UNAUTHORIZED' });
      await expect(gone.api.getAppInfo()).rejects.toMatchObject({ name: 'ConnectionLost', code: 'CONNECTION_LOST' });
      await expect.poll(() => gone.connection.state()).toBe('lost');
    } finally {
      anonymous.close();
      gone.close();
    }
  });
});
