import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function quotasCommand(io: CommandIo, version: string): Command {
  const command = new Command('quotas')
    .description('your Service Quotas for every route: requests and tokens per minute, tokens per day, applied against default')
    .addOption(new Option('--target <model>', 'only this model’s routes: a model id, ARN, profile id, or a forgiving name ("claude haiku 4.5")'))
    .addOption(new Option('--refresh', 'ask Service Quotas again in every region (without it, the quotas cached with the catalog are shown)'))
    .addOption(
      new Option(
        '--json',
        'print {fetchedAt, regions: {"<region>": {status, error?, routes: [{modelId, invokeId, routeKind, requestsPerMinute?, tokensPerMinute?, tokensPerDay?}]}}, unmatched: [{region, quotaCode, quotaName, value}]}',
      ),
    )
    .addHelpText(
      'after',
      `
Each quota reads "applied" (your account's value), with "(default N)" when AWS's default differs; "no quota found"
when Service Quotas lists none for the route. A geo profile's tokens per day is twice the on-demand daily quota, as
AWS words it ("doubled for cross-region calls"). * marks a quota you can raise in the Service Quotas console; with
--target each one's console link is printed. Quotas whose name fits no catalog model, or several, are listed at
the end, never guessed. A region whose quotas cannot be read is named with the fix; its last known quotas are shown
when there are any. Exit codes: 0 shown (some regions may have failed, each is named), 1 no region could be read,
2 a bad argument.

Examples:
  bedrock-atlas quotas --target "claude sonnet 4.5" --regions us-east-1,eu-west-1
  bedrock-atlas quotas --target anthropic.claude-3-haiku-20240307-v1:0 --json | jq '.regions["us-east-1"].routes'
  bedrock-atlas quotas --refresh`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/quotas')).quotasAction);
}
