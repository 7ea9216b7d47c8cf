import { Command, Option } from 'commander';
import { startEmulator } from '../../emulator/server';
import { readScenarioFile, EMPTY_SCENARIO } from '../../emulator/scenario';
import { parsePort } from '../options';
import { UsageError, waitForShutdown, type CommandIo } from '../io';

export function emulatorCommand(io: CommandIo): Command {
  return new Command('emulator')
    .description('run the local Bedrock emulator (every region on one loopback port) for tests and offline demos')
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').argParser(parsePort).default(0))
    .addOption(new Option('--scenario <file>', 'fault-injection scenario (JSON), e.g. src-main/emulator/scenarios/realistic.json'))
    .action(async (opts: { port: number; scenario?: string }) => {
      let scenario = EMPTY_SCENARIO;
      if (opts.scenario) {
        try {
          scenario = readScenarioFile(opts.scenario);
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
