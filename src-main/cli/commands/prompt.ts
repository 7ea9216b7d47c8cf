import { Command, Option } from 'commander';
import type { ConverseInput } from '../../../src-shared/contract/playground';
import { addAwsOptions, addCatalogOptions, parseRegion } from '../options';
import { lazyAction } from '../lazy-action';
import { parseNumber } from '../numbers';
import type { CommandIo } from '../io';

// The contract's choices, named here so the help loads no schema (the stream's validation checks them again).
const LATENCY_MODES = ['standard', 'optimized'] as const satisfies readonly NonNullable<ConverseInput['latency']>[];
const SERVICE_TIERS = ['default', 'priority', 'flex'] as const satisfies readonly NonNullable<ConverseInput['serviceTier']>[];

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function promptCommand(io: CommandIo, version: string): Command {
  const command = new Command('prompt')
    .description('stream one prompt through one model or inference profile from one region')
    .argument('[text]', 'the prompt; "-" or nothing reads it from stdin')
    .requiredOption('--target <id>', 'a model id or name, an inference profile id, or a profile ARN')
    .addOption(new Option('--region <region>', 'the region to call from').argParser(parseRegion).makeOptionMandatory())
    .option('--system <text>', 'a system prompt')
    .addOption(new Option('--max-tokens <n>', 'at most this many output tokens (1-200000)').argParser(parseNumber(true)))
    .addOption(new Option('--temperature <t>', 'sampling temperature, 0-1').argParser(parseNumber()))
    .addOption(new Option('--top-p <p>', 'nucleus sampling, 0-1').argParser(parseNumber()))
    .option('--stop <sequence>', 'a stop sequence (repeat for up to 4)', collect)
    .option('--image <file>', 'a PNG, JPEG, GIF or WebP image, at most 3.75 MB (repeat for more)', collect)
    .addOption(new Option('--latency <mode>', 'latency-optimized inference where the model offers it').choices(LATENCY_MODES))
    .addOption(new Option('--service-tier <tier>', 'the service tier to ask for').choices([...SERVICE_TIERS]))
    .option('--auto-profile', 'call a bare id that the region serves only through profiles through the best profile (geo before global)')
    .option('--json', 'print one JSON document at the end (the result: text, stopReason, usage, metrics, route, served)')
    .addHelpText(
      'after',
      `
The answer streams to stdout; the figures (TTFT, E2E, output speed, tokens, stop reason, server latency, route,
what was served) go to stderr. Ctrl+C aborts the request upstream, keeps what was printed and exits 130.
Exit codes: 0 answered; 1 Bedrock or the pre-flight refused (a bare id that needs a profile: the message names it);
2 a bad option, an unknown target, or an image the model cannot take; 130 interrupted.

Examples:
  bedrock-atlas prompt --target anthropic.claude-3-haiku-20240307-v1:0 --region us-east-1 "Why is the sky blue?"
  echo "Summarise this" | bedrock-atlas prompt --target amazon.nova-2-lite-v1:0 --region eu-west-3 --auto-profile -
  bedrock-atlas prompt --target us.amazon.nova-pro-v1:0 --region us-east-1 --image chart.png --json "Describe it"`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/prompt')).promptAction);
}
