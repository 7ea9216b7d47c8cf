import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../src-shared/contract';
import { createAtlasCore, type AtlasCore, type AtlasCoreInit } from '../core/app/atlas-core';
import type { Feature } from '../core/app/feature';
import type { EmulatorData } from '../emulator/bedrock-data';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { parseScenario } from '../emulator/scenario';

/**
 * A composition root's options against an emulator: test credentials, no cache file, no settings file, a silent log;
 * `init` says what differs (its overrides are applied on top of `cacheMode: 'none'`).
 */
export function emulatedCoreOptions(endpointUrl: string, init: Partial<AtlasCoreInit> = {}): AtlasCoreInit {
  return {
    version: '0.0.0-test',
    endpointUrl,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    ...init,
    overrides: { cacheMode: 'none', ...init.overrides },
  };
}

/** A real composition root against the real emulator over loopback HTTP, for the tests of every transport. */
export interface EmulatedCore {
  emulator: RunningEmulator;
  core: AtlasCore;
  settingsPath: string;
  close(): Promise<void>;
}

export async function startEmulatedCore(
  options: { overrides?: Partial<Settings>; scenario?: unknown; data?: EmulatorData; launchCommand?: 'npm start' | 'bedrock-atlas web'; features?: readonly Feature[] } = {},
): Promise<EmulatedCore> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-core-'));
  const emulator = await startEmulator({ ...(options.scenario ? { scenario: parseScenario(options.scenario) } : {}), ...(options.data ? { data: options.data } : {}) });
  const settingsPath = join(dir, 'config', 'settings.json');
  const core = await createAtlasCore(
    emulatedCoreOptions(emulator.url, {
      launchCommand: options.launchCommand,
      settingsPath,
      overrides: { regions: ['us-east-1', 'eu-west-1'], ...options.overrides },
      ...(options.features ? { features: options.features } : {}),
    }),
  );
  return {
    emulator,
    core,
    settingsPath,
    close: async () => {
      await core.close();
      await emulator.close();
    },
  };
}

/** A conversation that streams for a while (the scenario's per-token delay decides how long). */
export const LONG_PROMPT = {
  target: 'anthropic.claude-3-haiku-20240307-v1:0',
  region: 'us-east-1',
  messages: [{ role: 'user' as const, content: [{ text: 'Tell me a long story about regions.' }] }],
  inferenceConfig: { maxTokens: 400 },
};

/**
 * Waits until `condition` holds. The timeout only bounds a condition that never comes (the test fails then); it is
 * generous so a loaded machine never fails a test that would pass, and nothing should assert on the time returned.
 */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000, stepMs = 5): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return performance.now() - started;
}
