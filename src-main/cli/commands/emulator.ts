import { Command, Option } from 'commander';
import { parsePort } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

/** The built-in scenarios (src-main/emulator/scenarios/*.json), named here so the help loads no emulator code. */
export const BUILT_IN_SCENARIO_NAMES = ['realistic'] as const;

export function emulatorCommand(io: CommandIo, version: string): Command {
  const command = new Command('emulator')
    .description('run the local Bedrock emulator (every region on one loopback port) for tests and offline demos')
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').argParser(parsePort).default(0))
    .addOption(
      new Option('--scenario <file|name>', `fault-injection and timing scenario: a JSON file, or a built-in one (${BUILT_IN_SCENARIO_NAMES.join(', ')})`),
    );
  return lazyAction(command, io, version, async () => (await import('../actions/emulator')).emulatorAction);
}
