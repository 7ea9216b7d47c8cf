import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function usageCommand(io: CommandIo, version: string): Command {
  const command = new Command('usage')
    .description("a model's usage from CloudWatch on every route, against its quotas: peak and p99 requests and tokens per minute, headroom, throttles")
    .requiredOption('--target <id>', 'a model id or name, or an inference profile id (every route of its model is read)')
    .addOption(new Option('--since <window>', 'one-minute periods over the last 24 hours, or one-hour periods over 14 days').choices(['24h', '14d']).default('24h'))
    .addOption(new Option('--json', 'print {modelId, window, from, to, routes: [{region, invokeId, routeKind, status, error?, peak, p99, median, quota, headroomPercent, throttles, points, …}]}'))
    .addHelpText(
      'after',
      `
Reads CloudWatch (AWS/Bedrock, dimension ModelId = the invoked id) in each region where the model is callable
(--regions narrows them). Tokens are quota tokens: EstimatedTPMQuotaUsage where CloudWatch has it, else
input + cache write + output x the model's burndown rate. A status per route: ok, no-invocations (CloudWatch
answered with no datapoint), denied (the caller lacks cloudwatch:GetMetricData there) or error.

Examples:
  bedrock-atlas usage --target "claude sonnet 4.5"
  bedrock-atlas usage --target amazon.nova-pro-v1:0 --since 14d --regions us-east-1,us-west-2
  bedrock-atlas usage --target nova-lite --json | jq '.routes[] | {region, invokeId, peak}'`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/usage')).usageAction);
}
