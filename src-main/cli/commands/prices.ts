import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function pricesCommand(io: CommandIo, version: string): Command {
  const command = new Command('prices')
    .description('the price per route (USD per million input, output, cache-read and cache-write tokens) from the AWS Price List')
    .addOption(new Option('--target <id>', 'one model (an id, profile id or forgiving name, as `where` takes): its routes, each with its price or "unknown"'))
    .addOption(new Option('--refresh', 'ask the Price List API now, even when the cached table is recent'))
    .addOption(new Option('--json', 'print {table: {asOf, source, origin, fallbackReason?}, modelId, prices: [{modelId, region, routeKind, tier, perMillion}], unused} (and "routes" with --target)'))
    .addHelpText(
      'after',
      `
Prices come from the Price List API (AmazonBedrock, AmazonBedrockService and AmazonBedrockFoundationModels, asked
in us-east-1), tied to the catalog's models; kept in the cache directory; the bundled table answers when the API
cannot be read (the line printed first says which table, and its date). A price the table does not give is
"unknown", never 0. A geo profile is priced at its source region's regional price unless the list prices it apart.

Examples:
  bedrock-atlas prices --target "claude sonnet 4"
  bedrock-atlas prices --target anthropic.claude-3-haiku-20240307-v1:0 --regions us-east-1,eu-west-1
  bedrock-atlas prices --json | jq '.unused[] | select(.reason == "ambiguous-model")'`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/prices')).pricesAction);
}
