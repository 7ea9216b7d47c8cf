import { Command, Option } from 'commander';
import type { LatencyRunInput } from '../../../src-shared/contract/latency';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import { parseCount } from '../numbers';
import type { CommandIo } from '../io';

// The contract's choices, named here so the help loads no schema (the dispatcher checks them again).
const PROMPT_SIZES = ['small', 'medium', 'large'] as const satisfies readonly NonNullable<LatencyRunInput['promptSize']>[];
const LATENCY_MODES = ['standard', 'optimized'] as const satisfies readonly NonNullable<LatencyRunInput['latency']>[];

export function latencyCommand(io: CommandIo, version: string): Command {
  const command = new Command('latency')
    .description('measure TTFT, end-to-end latency and output speed of a model or profile in each region')
    .requiredOption('--target <id>', 'a model id or name, an inference profile id, or a profile ARN')
    .addOption(new Option('--runs <n>', 'measured requests per route (1-1000)').argParser(parseCount).default(10))
    .addOption(new Option('--concurrency <n>', 'requests in flight per route (1-32)').argParser(parseCount).default(1))
    .addOption(new Option('--warmup <n>', 'requests per route before measuring, not counted').argParser(parseCount).default(1))
    .addOption(new Option('--prompt-size <size>', 'the fixed prompt sent').choices(PROMPT_SIZES).default('small'))
    .addOption(new Option('--max-tokens <n>', 'output tokens at most per request').argParser(parseCount).default(128))
    .addOption(new Option('--latency <mode>', 'latency mode, where the model offers it').choices(LATENCY_MODES).default('standard'))
    .addOption(new Option('--auto-profile', 'call a bare id that a region serves only through profiles through the best profile (the default, as in the app)'))
    .addOption(new Option('--no-auto-profile', 'measure only the routes the target names; a region that needs a profile is reported, not measured'))
    .addOption(new Option('--compare-routes', 'also measure every other route (direct and profiles) from each region'))
    .addOption(new Option('--timeout-ms <ms>', 'a request with no answer for this long counts as a timeout').argParser(parseCount).default(60_000))
    .addOption(new Option('--yes', 'confirm a run against AWS of more than 100 requests, more than $1 at list prices, or of unknown cost'))
    .addOption(new Option('--json', 'print the report as JSON'))
    .addHelpText(
      'after',
      `
Exit codes: 0 every route produced samples; 1 a route failed or produced none (the routes are named, and the JSON
status is "failed" when no route produced samples, "partial" when some did not); 2 a bad option or a target not
offered in the regions asked (the message says where it is offered); 130 cancelled with Ctrl+C (partial results
are printed and saved).`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/latency')).latencyAction);
}
