import { Command, Option } from 'commander';
import { startEmulator } from '../../emulator/server';
import { BUILT_IN_SCENARIOS, EMPTY_SCENARIO, loadBuiltInScenario, readScenarioFile, type BuiltInScenario } from '../../emulator/scenario';
import { parsePort } from '../options';
import { UsageError, waitForShutdown, type CommandIo } from '../io';

const isBuiltIn = (name: string): name is BuiltInScenario => (BUILT_IN_SCENARIOS as readonly string[]).includes(name);

export function emulatorCommand(io: CommandIo): Command {
  return new Command('emulator')
    .description('run the local Bedrock emulator (every region on one loopback port) for tests and offline demos')
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').argParser(parsePort).default(0))
    .addOption(
      new Option(
        '--scenario <file|name>',
        `fault-injection and timing scenario: a JSON file, or a built-in one (${BUILT_IN_SCENARIOS.join(', ')})`,
      ),
    )
    .action(async (opts: { port: number; scenario?: string }) => {
      let scenario = EMPTY_SCENARIO;
      if (opts.scenario) {
        try {
          scenario = isBuiltIn(opts.scenario) ? loadBuiltInScenario(opts.scenario) : readScenarioFile(opts.scenario);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      }
      const emulator = await startEmulator({ port: opts.port, scenario });
      io.stdout(`Bedrock emulator: ${emulator.url}`);
      io.stderr(`Serving 31 recorded regions${scenario.name ? ` with scenario "${scenario.name}"` : ''}. Control: ${emulator.url}/_emulator/stats. Ctrl+C stops.`);
      await waitForShutdown();
      await emulator.close();
    });
}
