import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions, parseRegion } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function doctorCommand(io: CommandIo, version: string): Command {
  const command = new Command('doctor')
    .description('can I call this route? credentials, offer, model access, lifecycle, IAM and organization policies, and a live call')
    .argument('<target>', 'a model id, ARN, profile id, or a forgiving name ("claude haiku 4.5"), as `where` takes')
    .requiredOption('--from <region>', 'the region you call from', parseRegion)
    .addOption(new Option('--live', 'also make one real 1-token ConverseStream call through the route (never retried)'))
    .addOption(new Option('--auto-profile', 'a bare id served only through profiles is checked through the best profile'))
    .addOption(new Option('--json', 'print {target, from, invokeId, routeKind, verdict, checks: [{id, status, message, fix?, destinations?}]}'))
    .addHelpText(
      'after',
      `
Checks: credentials, offered, account-access, lifecycle, iam, organization-policy, quota, live-call (with --live).
Each is pass, warn, fail or unknown (an unknown says why). Exit codes: 0 ready, 3 at-risk (a warn: one
destination of a profile denied means intermittent failures), 4 blocked (a fail), 5 unknown, 2 a bad argument.

Examples:
  bedrock-atlas doctor eu.anthropic.claude-haiku-4-5-20251001-v1:0 --from eu-central-1
  bedrock-atlas doctor "claude haiku 4.5" --from eu-west-3 --auto-profile --live
  bedrock-atlas doctor global.anthropic.claude-haiku-4-5-20251001-v1:0 --from us-east-1 --json`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/doctor')).doctorAction);
}
