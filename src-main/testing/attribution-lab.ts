import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyRunInputSchema, type LatencyRunInput, type LatencyRunReport, type Settings } from '../../src-shared/contract';
import type { AtlasEvent } from '../../src-shared/events';
import { createAtlasCore, FEATURES, type AtlasCore } from '../core/app/atlas-core';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { parseScenario, type ScenarioInput } from '../emulator/scenario';
import { emulatedCoreOptions } from './emulated-core';
import type { Feature } from '../core/app/feature';
import { attributionFeature, createAttributionFeature } from '../core/attribution/feature';
import type { AttributionService } from '../core/attribution/service';
import { VirtualClock } from './virtual-clock';

/**
 * Attribution's tests and benchmark: the real composition root (its attribution feature on the given clock) with its
 * own data directory, against the real emulator over loopback HTTP on the same clock, so CloudTrail's rate limit and
 * event delays, and the job's backoff, all run on one time line that tests never wait on.
 */

export interface AttributionLab {
  emulator: RunningEmulator;
  core: AtlasCore;
  clock: VirtualClock;
  dataDir: string;
  /** Every attribution.progress event, in order. */
  progress: Extract<AtlasEvent, { type: 'attribution.progress' }>['payload'][];
  run(input: LatencyRunInput): Promise<LatencyRunReport>;
  /** Closes the core only (the emulator and the data directory stay: a restart), its workers stopped first. */
  closeCore(): Promise<void>;
  close(): Promise<void>;
}

export async function startAttributionLab(
  options: { scenario?: ScenarioInput; emulator?: RunningEmulator; clock?: VirtualClock; dataDir?: string; overrides?: Partial<Settings>; realClock?: boolean } = {},
): Promise<AttributionLab> {
  const clock = options.clock ?? new VirtualClock();
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'atlas-attribution-')));
  const emulator = options.emulator ?? (await startEmulator({ scenario: parseScenario(options.scenario ?? {}), ...(options.realClock ? {} : { clock: clock.now }) }));
  const chosen = options.realClock ? attributionFeature : createAttributionFeature({ clock });
  // The service is kept so that closing waits for its workers: DuckDB must not be closed under a running statement.
  let service: AttributionService | null = null;
  const feature: Feature<AttributionService> = {
    ...chosen,
    create: (context, exportsOf) => {
      const instance = chosen.create(context, exportsOf);
      service = instance.exports;
      return instance;
    },
  };
  const core = await createAtlasCore(
    emulatedCoreOptions(emulator.url, {
      overrides: { regions: ['us-east-1', 'eu-west-1'], dataDir, ...options.overrides },
      features: FEATURES.map((existing) => (existing === attributionFeature ? feature : existing)),
    }),
  );
  let closed = false;
  const closeCore = async () => {
    if (closed) return;
    closed = true;
    await service?.stop();
    await core.close();
  };
  const progress: AttributionLab['progress'] = [];
  core.events.subscribe((event) => {
    if (event.type === 'attribution.progress') progress.push(event.payload);
  });
  return {
    emulator,
    core,
    clock,
    dataDir,
    progress,
    run: (input) => core.streamHandlers.runLatency(LatencyRunInputSchema.parse(input), { signal: new AbortController().signal, emit: async () => {} }),
    closeCore,
    close: async () => {
      await closeCore();
      if (!options.emulator) await emulator.close();
    },
  };
}
