import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import { parseCount } from '../numbers';
import type { CommandIo } from '../io';

export function historyCommand(io: CommandIo, version: string): Command {
  const command = new Command('history')
    .description('list stored latency runs and probes, newest first')
    .addOption(new Option('--target <id>', 'only runs of this model, profile or invoked id'))
    .addOption(new Option('--since <when>', 'only runs since a duration ago (30m, 12h, 7d, 4w) or an ISO date'))
    .addOption(new Option('--limit <n>', 'runs at most (1-1000)').argParser(parseCount).default(50))
    .addOption(new Option('--store <dir|s3://bucket/prefix>', "the team's store: synced (a directory read in place), then read beside this machine's history"))
    .addOption(new Option('--vantage <name>', 'whose runs: local (this machine), all, or a vantage of the team store (default: local; all with --store)'))
    .addOption(new Option('--json', 'print the runs as JSON'))
    .addHelpText('after', '\nExit codes: 0 the history was read (even if no run matches), 1 it could not be read (in use, damaged), 2 a bad option or an unknown vantage.');
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/history')).historyAction);
}
