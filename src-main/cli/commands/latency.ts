import { Command, Option } from 'commander';
import type { LatencyRunInput } from '../../../src-shared/contract/latency';
import { addAwsOptions, addCatalogOptions } from '../options';
import { lazyAction } from '../lazy-action';
import { parseCount, parseNumber } from '../numbers';
import type { CommandIo } from '../io';

// The contract's choices, named here so the help loads no schema (the dispatcher checks them again).
const PROMPT_SIZES = ['small', 'medium', 'large'] as const satisfies readonly NonNullable<LatencyRunInput['promptSize']>[];
const LATENCY_MODES = ['standard', 'optimized'] as const satisfies readonly NonNullable<LatencyRunInput['latency']>[];
const ARRIVALS = ['poisson', 'constant'] as const;
const SLO_CHOICES = ['chat', 'mlperf-interactive', 'custom', 'none'] as const;

export function latencyCommand(io: CommandIo, version: string): Command {
  const command = new Command('latency')
    .description('measure TTFT, end-to-end latency and output speed of a model or profile in each region, or how they grow under load (--load)')
    .requiredOption('--target <id>', 'a model id or name, an inference profile id, or a profile ARN')
    // No commander defaults: a load run refuses them when given, so the action must see whether they were.
    .addOption(new Option('--runs <n>', 'measured requests per route (1-1000, default 10)').argParser(parseCount))
    .addOption(new Option('--concurrency <n>', 'requests in flight per route (1-32, default 1)').argParser(parseCount))
    .addOption(new Option('--warmup <n>', 'requests per route before measuring, not counted').argParser(parseCount).default(1))
    .addOption(new Option('--prompt-size <size>', 'the fixed prompt sent').choices(PROMPT_SIZES).default('small'))
    .addOption(new Option('--max-tokens <n>', 'output tokens at most per request').argParser(parseCount).default(128))
    .addOption(new Option('--latency <mode>', 'latency mode, where the model offers it').choices(LATENCY_MODES).default('standard'))
    .addOption(new Option('--auto-profile', 'call a bare id that a region serves only through profiles through the best profile (the default, as in the app)'))
    .addOption(new Option('--no-auto-profile', 'measure only the routes the target names; a region that needs a profile is reported, not measured'))
    .addOption(new Option('--compare-routes', 'also measure every other route (direct and profiles) from each region'))
    .addOption(new Option('--timeout-ms <ms>', 'a request with no answer for this long counts as a timeout').argParser(parseCount).default(60_000))
    .addOption(new Option('--yes', 'confirm a run against AWS of more than 100 requests, more than $1 at list prices, or of unknown cost'))
    .addOption(new Option('--load <levels>', 'a load run: concurrency:1,2,4,8 (requests in flight) or rate:0.5,1,2,4 (requests per second), level by level'))
    .addOption(new Option('--step-duration <time>', 'load: how long each level lasts (30s, 2m, 500ms; default 30s)'))
    .addOption(new Option('--step-requests <n>', 'load, concurrency levels: requests per level instead of a duration').argParser(parseCount))
    .addOption(new Option('--arrivals <process>', 'load, rate levels: when requests arrive (default poisson)').choices(ARRIVALS))
    .addOption(new Option('--seed <n>', 'load, rate levels: seeds the arrival schedule (default 1)').argParser(parseCount))
    .addOption(new Option('--max-in-flight <n>', 'load, rate levels: requests in flight at most per route (default 50)').argParser(parseCount))
    .addOption(new Option('--slo <preset>', 'load: the SLO goodput counts against (default chat: TTFT <= 1 s, ITL <= 50 ms)').choices(SLO_CHOICES))
    .addOption(new Option('--slo-ttft-ms <ms>', 'load: a TTFT bound of your own (makes the SLO custom)').argParser(parseNumber()))
    .addOption(new Option('--slo-itl-ms <ms>', 'load: an inter-token latency bound of your own').argParser(parseNumber()))
    .addOption(new Option('--slo-e2e-ms <ms>', 'load: an end-to-end latency bound of your own').argParser(parseNumber()))
    .addOption(new Option('--slo-percentile <p>', 'load: the percentile a level is held to (default: the preset\'s)').argParser(parseNumber()))
    .addOption(new Option('--max-requests <n>', 'load: stop sending after this many requests (warm-ups included)').argParser(parseCount))
    .addOption(new Option('--max-cost <usd>', 'load: stop sending before the dollars at list prices would pass this').argParser(parseNumber()))
    .addOption(new Option('--no-unique-prompts', 'load: send the same prompt every time (by default a nonce before each keeps the prompt cache out)'))
    .addOption(new Option('--json', 'print the report as JSON'))
    .addHelpText(
      'after',
      `
Exit codes: 0 every route produced samples; 1 a route failed or produced none (the routes are named, and the JSON
status is "failed" when no route produced samples, "partial" when some did not); 2 a bad option or a target not
offered in the regions asked (the message says where it is offered); 130 cancelled with Ctrl+C (partial results
are printed and saved). A load run (--load) exits 0 when every route measured its levels (a budget that stopped
it is said on stderr), 1 when a route measured nothing, 2 for bad levels or options, 130 when cancelled (the
finished levels are printed and saved).`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/latency')).latencyAction);
}
