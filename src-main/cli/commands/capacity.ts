import { Command, InvalidArgumentError, Option } from 'commander';
import { CAPACITY_RANGES, describeRange, type CapacityField } from '../../../src-shared/capacity/input-ranges';
import { addAwsOptions, addCatalogOptions, parseRegion } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

/** A whole number in the field's range; a refusal names the range, so the user knows what would be accepted. */
function countIn(field: CapacityField) {
  const range = CAPACITY_RANGES[field];
  return (text: string): number => {
    const number = Number(text.trim());
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(number) || number < range.min || number > range.max) {
      throw new InvalidArgumentError(`"${text}" is not a whole number from ${describeRange(range)}`);
    }
    return number;
  };
}

const count = (flags: string, description: string, field: CapacityField) =>
  new Option(flags, `${description} (${describeRange(CAPACITY_RANGES[field])})`).argParser(countIn(field));

export function capacityCommand(io: CommandIo, version: string): Command {
  const command = new Command('capacity')
    .description('how much each route to a model from your region can carry for a workload, and which quota binds first')
    .requiredOption('--target <id>', 'a model id or name, or an inference profile id')
    .requiredOption('--from <region>', 'the region you call from', parseRegion)
    .addOption(count('--rpm <n>', 'the target rate in requests per minute', 'rpm').conflicts(['concurrency', 'durationMs']))
    .addOption(count('--concurrency <n>', 'requests in flight at once, with --duration-ms', 'concurrency'))
    .addOption(count('--duration-ms <n>', 'how long one request takes in ms, with --concurrency', 'durationMs'))
    .addOption(count('--input-tokens <n>', 'input tokens per request, not read from or written to the prompt cache', 'inputTokens'))
    .addOption(count('--max-tokens <n>', "the requests' max_tokens (at most the model's output limit)", 'maxTokens'))
    .addOption(count('--output-tokens <n>', 'expected output tokens per request (default: --max-tokens)', 'outputTokens'))
    .addOption(count('--cache-read-tokens <n>', 'input tokens per request read from the prompt cache', 'cacheReadTokens'))
    .addOption(count('--cache-write-tokens <n>', 'input tokens per request written to the prompt cache', 'cacheWriteTokens'))
    .addOption(new Option('--json', 'print {modelId, from, targetRequestsPerMinute, burndown, routes: [{invokeId, routeKind, reservedTokensPerRequest, settledTokensPerRequest, burndownRate, maxRequestsPerMinute, maxInFlightByReservation, bindingLimit, headroomPercent, …}]}, best route first'))
    .addOption(new Option('--worksheet [invoke-id]', 'also print the quota increase worksheet for that route (default: the best one)'))
    .addOption(new Option('--use-case <text>', "the worksheet's use case"))
    .addHelpText(
      'after',
      `
Per request: settled = input + cache write + output x burndown (output: --output-tokens, else --max-tokens);
reserved = input + cache write + max_tokens, held while the request runs. Cache reads do not count.
max requests per minute = min(RPM quota, floor(TPM / settled), floor(TPD / (1,440 x settled))) over the quotas
found; in flight by reservation = floor(TPM / reserved). A route with no quota found says so, last.
Exit codes: 0 answered, 2 a missing or impossible number (the message names the valid range), 1 a failure.

Examples:
  bedrock-atlas capacity --target "claude sonnet 4.5" --from us-east-1 --rpm 120 --input-tokens 2000 --max-tokens 1024 --output-tokens 400
  bedrock-atlas capacity --target nova-pro --from eu-west-1 --concurrency 20 --duration-ms 6000 --input-tokens 3000 --max-tokens 800
  bedrock-atlas capacity --target "claude haiku 4.5" --from eu-west-3 --rpm 600 --input-tokens 800 --max-tokens 400 --worksheet`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/capacity')).capacityAction);
}
