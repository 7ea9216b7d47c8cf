import { afterAll, afterEach, beforeAll } from 'vitest';
import { EMPTY_SCENARIO } from '../emulator/scenario';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator/server';

/**
 * One emulator for a test file: started before its tests, closed after them, and back to the empty scenario with
 * fresh counters after each test. The answer stands for the running emulator once `beforeAll` has run.
 */
export function emulatorPerFile(options: EmulatorOptions = {}): RunningEmulator {
  let running: RunningEmulator | null = null;
  beforeAll(async () => {
    running = await startEmulator(options);
  });
  afterAll(() => running?.close());
  afterEach(() => {
    running?.setScenario(EMPTY_SCENARIO);
    running?.resetStats();
  });
  const current = (): RunningEmulator => {
    if (!running) throw new Error('The emulator starts in beforeAll: use it inside a test or a hook.');
    return running;
  };
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    setScenario: (scenario) => current().setScenario(scenario),
    stats: () => current().stats(),
    resetStats: () => current().resetStats(),
    s3Objects: () => current().s3Objects(),
    close: () => current().close(),
  };
}
