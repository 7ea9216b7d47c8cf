import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { startEmulatedCore, type EmulatedCore } from '../../testing/emulated-core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFeature } from '../catalog/feature';
import { createAtlasCore, FEATURES } from './atlas-core';
import { defineFeature, type Feature } from './feature';

let setup: EmulatedCore | null = null;
afterEach(async () => {
  await setup?.close();
  setup = null;
});

const signal = new AbortController().signal;

describe('the composition root', () => {
  it('keeps command-line regions in force after a settings save (the web --regions bug)', async () => {
    setup = await startEmulatedCore({ overrides: { regions: ['us-east-1', 'eu-west-1'] } });
    const { core, emulator } = setup;
    // The Settings page sends the whole form: regions arrive unchanged, beside the new theme.
    const view = await core.handlers.getSettingsView(undefined, { signal });
    await core.handlers.updateSettings({ ...view.settings, theme: 'dark' }, { signal });
    emulator.resetStats();
    const snapshot = await core.handlers.refreshCatalog(undefined, { signal });
    expect(Object.keys(snapshot.document.regions).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(Object.keys(emulator.stats().requests).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(core.settings()).toMatchObject({ theme: 'dark', regions: ['us-east-1', 'eu-west-1'] });
    // The command-line value is not written to the file; the theme is.
    const saved = JSON.parse(await readFile(setup.settingsPath, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ theme: 'dark', regions: [] });
    expect((await core.handlers.getSettingsView(undefined, { signal })).commandLine.sort()).toEqual(['cacheMode', 'regions']);
  });

  it('lets a setting the user really changes replace its command-line value for the rest of the run', async () => {
    setup = await startEmulatedCore({ overrides: { regions: ['us-east-1', 'eu-west-1'] } });
    await setup.core.handlers.updateSettings({ regions: ['us-west-2'] }, { signal });
    expect(setup.core.settings().regions).toEqual(['us-west-2']);
    expect((await setup.core.handlers.getSettingsView(undefined, { signal })).commandLine).toEqual(['cacheMode']);
  });

  it('rebuilds only the features whose settings changed', async () => {
    setup = await startEmulatedCore();
    const { core } = setup;
    const catalogBefore = core.catalog();
    await core.handlers.updateSettings({ theme: 'light' }, { signal });
    expect(core.catalog()).toBe(catalogBefore);
    await core.handlers.updateSettings({ maxAgeHours: 2 }, { signal });
    expect(core.catalog()).not.toBe(catalogBefore);
    // The handlers route to the new service: the catalog still answers.
    expect((await core.handlers.getCatalog(undefined, { signal })).document.regions['us-east-1']?.status).toBe('ok');
  });

  it('refuses a settings patch with a relative cache directory or a NUL byte, and keeps the old settings', async () => {
    setup = await startEmulatedCore();
    const before = setup.core.settings();
    for (const patch of [{ cacheDir: 'relative/cache' }, { awsProfile: 'dev\u0000' }]) {
      const reply = await setup.core.dispatcher.dispatch('updateSettings', patch);
      expect(reply).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    }
    expect(setup.core.settings()).toEqual(before);
  });

  it('names a wiring mistake: a method handled twice or never', async () => {
    const options = { version: '0' };
    const stealsGetAppInfo = defineFeature({ name: 'thief', create: () => ({ exports: null, methods: { getAppInfo: async () => ({}) as never } }) });
    await expect(createAtlasCore({ ...options, features: [...FEATURES, stealsGetAppInfo] })).rejects.toThrow(/getAppInfo is handled by both app and thief/);
    await expect(createAtlasCore({ ...options, features: FEATURES.filter((feature) => feature.name !== 'playground') })).rejects.toThrow(/No feature handles methods .*countTokens/);
  });

  it('builds the features in dependency order, whatever order the list gives', async () => {
    setup = await startEmulatedCore({ features: [...FEATURES].reverse() });
    expect((await setup.core.handlers.getCatalog(undefined, { signal })).document.regions['us-east-1']?.status).toBe('ok');
  });

  it('stops start-up on a dependency cycle or a dependency missing from the list, naming them', async () => {
    const created: string[] = [];
    const first: Feature<null> = { name: 'first', dependsOn: [], rebuildOn: [], create: () => (created.push('first'), { exports: null }) };
    const second: Feature<null> = { name: 'second', dependsOn: [first], rebuildOn: [], create: () => (created.push('second'), { exports: null }) };
    // A cycle can only be made by hand: defineFeature takes features that already exist.
    (first as { dependsOn: readonly Feature[] }).dependsOn = [second];
    await expect(createAtlasCore({ version: '0', features: [...FEATURES, first, second] })).rejects.toThrow('Features depend on each other in a cycle: first → second → first');
    const orphan = defineFeature({ name: 'orphan', dependsOn: { catalog: catalogFeature }, create: () => ({ exports: null }) });
    await expect(createAtlasCore({ version: '0', features: [orphan] })).rejects.toThrow('Feature orphan depends on catalog, which is not in the feature list');
    expect(created).toEqual([]);
  });

  it('rebuilds a feature’s dependents with it: a new profile rebuilds the catalog, a new data directory the history users', async () => {
    const built: string[] = [];
    // Each feature's own create, wrapped to record the rebuild, and put back after the test.
    const originals = FEATURES.map((feature) => [feature, feature.create] as const);
    for (const [feature, create] of originals) {
      (feature as { create: Feature['create'] }).create = (context, exportsOf) => (built.push(feature.name), create(context, exportsOf));
    }
    onTestFinished(() => {
      for (const [feature, create] of originals) (feature as { create: Feature['create'] }).create = create;
    });
    setup = await startEmulatedCore();
    const dataDir = await mkdtemp(join(tmpdir(), 'atlas-rebuild-'));
    built.length = 0;
    await setup.core.handlers.updateSettings({ dataDir }, { signal });
    expect(built).toEqual(['history', 'playground', 'team', 'latency', 'attribution', 'monitor', 'telemetry']);
    built.length = 0;
    await setup.core.handlers.updateSettings({ awsProfile: 'other' }, { signal });
    expect(built).toEqual(['aws', 'app', 'catalog', 'playground', 'prices', 'quotas', 'team', 'latency', 'identity', 'access', 'sso', 'usage', 'capacity', 'attribution', 'monitor', 'telemetry']);
    built.length = 0;
    await setup.core.handlers.updateSettings({ theme: 'dark' }, { signal });
    expect(built).toEqual([]);
  });

  it('refuses a feature that asks for exports it did not declare', async () => {
    const sneaky: Feature<null> = { name: 'sneaky', dependsOn: [], rebuildOn: [], create: (_context, exportsOf) => (exportsOf(catalogFeature), { exports: null }) };
    await expect(createAtlasCore({ version: '0', features: [...FEATURES, sneaky] })).rejects.toThrow('Feature sneaky asked for catalog without declaring it in dependsOn');
  });

  it('says how the app was launched', async () => {
    setup = await startEmulatedCore({ launchCommand: 'npm start' });
    expect(await setup.core.handlers.getAppInfo(undefined, { signal })).toMatchObject({ launchCommand: 'npm start', transport: 'web' });
  });
});
