import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import { parseCount } from '../numbers';
import type { CommandIo } from '../io';

export function probeCommand(io: CommandIo, version: string): Command {
  const command = new Command('probe')
    .description('measure the network to each region: DNS, TCP connect, TLS, first byte (cold and warm)')
    .addOption(new Option('--samples <n>', 'cold and warm samples per region (1-100)').argParser(parseCount).default(5))
    .addOption(new Option('--json', 'print the result as JSON'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/probe')).probeAction);
}
