import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentialIdentity } from '@smithy/types';
import { LatencyRunInputSchema, type LatencyProgress, type LatencyRunInput, type LatencyRunReport, type Settings } from '../../src-shared/contract';
import { createAtlasCore, type AtlasCore } from '../core/app/atlas-core';
import { emulatedCoreOptions } from './emulated-core';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { parseScenario, type ScenarioInput } from '../emulator/scenario';

/**
 * The latency lab's tests and benchmark: a real composition root with its own data directory, against the real
 * emulator over loopback HTTP, with the scenario and credentials each case needs.
 */

export const HAIKU_3 = 'anthropic.claude-3-haiku-20240307-v1:0';

export interface EmulatedLab {
  emulator: RunningEmulator;
  core: AtlasCore;
  dataDir: string;
  run(input: LatencyRunInput, options?: { signal?: AbortSignal; onProgress?: (progress: LatencyProgress) => void }): Promise<LatencyRunReport>;
  close(): Promise<void>;
}

export async function startEmulatedLab(
  options: {
    scenario?: ScenarioInput;
    overrides?: Partial<Settings>;
    credentials?: AwsCredentialIdentity;
    dataDir?: string;
    emulator?: RunningEmulator;
    /** A catalog to fall back to (credentials that the scan cannot use). */
    bundledPath?: string;
  } = {},
): Promise<EmulatedLab> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'atlas-lab-')));
  const emulator = options.emulator ?? (await startEmulator({ scenario: parseScenario(options.scenario ?? {}) }));
  const core = await createAtlasCore(
    emulatedCoreOptions(emulator.url, {
      overrides: { regions: ['us-east-1', 'eu-west-1'], dataDir, ...options.overrides },
      bundledPath: options.bundledPath ?? null,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    }),
  );
  return {
    emulator,
    core,
    dataDir,
    run: (input, { signal, onProgress } = {}) =>
      core.streamHandlers.runLatency(LatencyRunInputSchema.parse(input), {
        signal: signal ?? new AbortController().signal,
        emit: async (progress) => onProgress?.(progress),
      }),
    close: async () => {
      await core.close();
      if (!options.emulator) await emulator.close();
    },
  };
}
