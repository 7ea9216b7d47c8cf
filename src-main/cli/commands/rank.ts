import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions, parseRegion } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function rankCommand(io: CommandIo, version: string): Command {
  const command = new Command('rank')
    .description("a model's routes from your region, fastest measured first")
    .requiredOption('--target <id>', 'a model id or name, or an inference profile id')
    .addOption(new Option('--from <region>', 'your home region (default: AWS_REGION, else us-east-1)').argParser(parseRegion))
    .addOption(new Option('--store <dir|s3://bucket/prefix>', "the team's store: synced (a directory read in place), then ranked from"))
    .addOption(new Option('--vantage <name>', 'ranked by whose measurements: local (this machine), all, or a vantage of the team store (default: local; all with --store)'))
    .addOption(new Option('--json', 'print the routes as JSON'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/rank')).rankAction);
}
