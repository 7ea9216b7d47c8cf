import { startEmulator } from '../../emulator/server';
import { BUILT_IN_SCENARIOS, EMPTY_SCENARIO, loadBuiltInScenario, readScenarioFile, type BuiltInScenario } from '../../emulator/scenario';
import { UsageError, waitForShutdown } from '../io';
import type { ActionContext } from '../lazy-action';

const isBuiltIn = (name: string): name is BuiltInScenario => (BUILT_IN_SCENARIOS as readonly string[]).includes(name);

/** `bedrock-atlas emulator`: the emulator on one loopback port until Ctrl+C. */
export async function emulatorAction({ opts, io }: ActionContext): Promise<void> {
  const scenarioName = opts.scenario as string | undefined;
  let scenario = EMPTY_SCENARIO;
  if (scenarioName) {
    try {
      scenario = isBuiltIn(scenarioName) ? loadBuiltInScenario(scenarioName) : readScenarioFile(scenarioName);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const emulator = await startEmulator({ port: opts.port as number, scenario });
  io.stdout(`Bedrock emulator: ${emulator.url}`);
  io.stderr(`Serving 31 recorded regions${scenario.name ? ` with scenario "${scenario.name}"` : ''}. Control: ${emulator.url}/_emulator/stats. Ctrl+C stops.`);
  await waitForShutdown();
  await emulator.close();
}
