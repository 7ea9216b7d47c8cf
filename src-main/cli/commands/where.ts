import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions, parseRegion } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function whereCommand(io: CommandIo, version: string): Command {
  const command = new Command('where')
    .description('where and how one model can be called: every region, or the ranked routes from your region')
    .argument('<model>', 'a model id, ARN, profile id, or a forgiving name ("claude 3 haiku")')
    .addOption(new Option('--from <region>', 'rank the routes from this region, best first').argParser(parseRegion))
    .addOption(new Option('--json', 'print {"modelId", "regions": {"<region>": {"how", "invokeIds"}}} (and "from", "routes" with --from)'))
    .addOption(new Option('--refresh', 'ignore the cache and scan the regions now'))
    .addOption(new Option('--prices', 'also the price of each route (USD per million tokens, from the Price List), and the table\'s date'))
    .addHelpText(
      'after',
      `
"how" per region, best first: on-demand (the bare id works there, whatever profiles exist too), geo-profile,
global-profile, provisioned (Provisioned Throughput only), listed (listed but none of these), none (not listed),
unknown (that region's scan failed).

Examples:
  bedrock-atlas where "claude 3 haiku"
  bedrock-atlas where anthropic.claude-3-haiku-20240307-v1:0 --from eu-west-3
  bedrock-atlas where "claude sonnet 4" --prices
  bedrock-atlas where nova-2-lite --json | jq '.regions["us-east-2"]'`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/where')).whereAction);
}
