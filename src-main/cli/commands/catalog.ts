import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function catalogCommand(io: CommandIo, version: string): Command {
  const command = new Command('catalog')
    .description('discover which model can be called from which region, and how (prints a summary, or the catalog document with --json)')
    .addOption(new Option('--refresh', 'ignore the cache and scan the regions now'))
    .addOption(new Option('--json', 'print the catalog document on stdout'))
    .addHelpText(
      'after',
      `
Without an option it prints a summary of the cached catalog (scanning every region when there is no valid cache).

Examples:
  bedrock-atlas catalog                                   summary: regions ok/failed, models, providers
  bedrock-atlas catalog --json > catalog.json             the whole catalog document
  bedrock-atlas catalog --refresh --regions us-east-1,eu-west-1 --profile work
  bedrock-atlas catalog --endpoint-url http://127.0.0.1:4010 --cache-mode none   against the emulator`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/catalog')).catalogAction);
}
