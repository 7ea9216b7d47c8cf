import type { Command } from 'commander';
import { checkSettingFlags, readSharedOptions, type SharedOptions } from './options';
import { UsageError } from './io';
import type { CommandIo } from './io';

/** What a command's work receives when it runs. */
export interface ActionContext {
  opts: Record<string, unknown>;
  /** The command's operands (`where MODEL`, `prompt TEXT`), in order. */
  operands: (string | undefined)[];
  /** The shared options the user gave: only they override the settings file. */
  shared: SharedOptions;
  io: CommandIo;
  version: string;
}

export type Action = (context: ActionContext) => Promise<void>;

/**
 * Attaches work that is loaded only when the command runs. The definitions (names, options, help) load with
 * commander and nothing else, so `--help` and `--version` never load the AWS SDK, DuckDB, zod's contract pages or
 * the emulator; each command loads its own work with `await import()`.
 */
export function lazyAction(command: Command, io: CommandIo, version: string, load: () => Promise<Action>): Command {
  return command.action(async (...args: unknown[]) => {
    const self = args.at(-1) as Command;
    const opts = self.opts();
    const operands = args.slice(0, -2) as (string | undefined)[];
    const shared = readSharedOptions(opts, (attribute) => self.getOptionValueSource(attribute));
    const [{ SETTINGS }, action] = await Promise.all([import('../../src-shared/contract/settings'), load()]);
    try {
      checkSettingFlags(shared.overrides, SETTINGS);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    await action({ opts, operands, shared, io, version });
  });
}
