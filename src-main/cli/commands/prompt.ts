import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConverseInputSchema, LatencyModeSchema, SERVICE_TIERS, type ConverseInput, type ConverseResult } from '../../../src-shared/contract';
import { resolveRoute } from '../../../src-shared/catalog/resolve-route';
import { checkImage, ImageRefused, toBase64 } from '../../../src-shared/playground/images';
import { metricsLine } from '../../../src-shared/playground/describe-result';
import { COMMERCIAL_REGIONS, isCommercialRegion } from '../../../src-shared/regions';
import { openCommandCore } from '../command-core';
import { addAwsOptions, addCatalogOptions } from '../options';
import { printable, UsageError, type CommandIo } from '../io';

/**
 * `bedrock-atlas prompt`: one prompt through one route, the answer streamed to stdout chunk by chunk as it
 * arrives, the figures on stderr. Everything the playground checks before sending is checked here too, so a
 * bad option costs no call (exit 2), and a bare id that needs a profile is caught before Bedrock refuses it.
 */

export const EXIT_INTERRUPTED = 130;

/** What the command needs from the terminal beyond whole lines: raw chunks, stdin, and Ctrl+C. */
export interface PromptTerminal {
  /** Writes a chunk as it is, no newline, at once. */
  write(text: string): void;
  readStdin(): Promise<string>;
  stdinIsTerminal: boolean;
  /** Calls `listener` on SIGINT or SIGTERM until the returned function is called. */
  onInterrupt(listener: () => void): () => void;
}

export const processTerminal: PromptTerminal = {
  write: (text) => process.stdout.write(printable(text)),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdinIsTerminal: process.stdin.isTTY === true,
  onInterrupt: (listener) => {
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
  },
};

function number(name: string, integer = false) {
  return (value: string) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
      throw new InvalidArgumentError(`"${value}" is not ${integer ? 'a whole number' : 'a number'} (${name})`);
    }
    return parsed;
  };
}

function region(value: string): string {
  const name = value.trim().toLowerCase();
  if (!isCommercialRegion(name)) throw new InvalidArgumentError(`Unknown region "${value}". Valid choices: ${COMMERCIAL_REGIONS.join(', ')}`);
  return name;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

async function readImage(path: string) {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(`Cannot read the image ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return { image: { format: checkImage(path, bytes), bytesBase64: toBase64(bytes) } };
  } catch (error) {
    if (error instanceof ImageRefused) throw new UsageError(error.message);
    throw error;
  }
}

/** The request as the playground would send it, validated by the same contract schema. */
async function buildInput(text: string | undefined, opts: Record<string, unknown>, terminal: PromptTerminal, io: CommandIo): Promise<ConverseInput> {
  let prompt = text;
  if (prompt === undefined || prompt === '-') {
    if (terminal.stdinIsTerminal) io.stderr('Reading the prompt from stdin; end it with Ctrl+D.');
    prompt = await terminal.readStdin();
  }
  if (prompt.trim() === '' && ((opts.image as string[] | undefined) ?? []).length === 0) {
    throw new UsageError('The prompt is empty: give TEXT, or pipe it on stdin (`-`).');
  }
  const images = await Promise.all(((opts.image as string[] | undefined) ?? []).map(readImage));
  const parsed = ConverseInputSchema.safeParse({
    target: opts.target,
    region: opts.region,
    messages: [{ role: 'user', content: [...(prompt.trim() ? [{ text: prompt }] : []), ...images] }],
    ...(opts.system !== undefined ? { system: opts.system } : {}),
    inferenceConfig: {
      ...(opts.maxTokens !== undefined ? { maxTokens: opts.maxTokens } : {}),
      ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
      ...(opts.topP !== undefined ? { topP: opts.topP } : {}),
      ...(opts.stop ? { stopSequences: opts.stop } : {}),
    },
    ...(opts.latency ? { latency: opts.latency } : {}),
    ...(opts.serviceTier ? { serviceTier: opts.serviceTier } : {}),
    ...(opts.autoProfile ? { autoProfile: true } : {}),
  });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

export function promptCommand(io: CommandIo, version: string, terminal: PromptTerminal = processTerminal): Command {
  const command = new Command('prompt')
    .description('stream one prompt through one model or inference profile from one region')
    .argument('[text]', 'the prompt; "-" or nothing reads it from stdin')
    .requiredOption('--target <id>', 'a model id or name, an inference profile id, or a profile ARN')
    .addOption(new Option('--region <region>', 'the region to call from').argParser(region).makeOptionMandatory())
    .option('--system <text>', 'a system prompt')
    .addOption(new Option('--max-tokens <n>', 'at most this many output tokens (1-200000)').argParser(number('--max-tokens', true)))
    .addOption(new Option('--temperature <t>', 'sampling temperature, 0-1').argParser(number('--temperature')))
    .addOption(new Option('--top-p <p>', 'nucleus sampling, 0-1').argParser(number('--top-p')))
    .option('--stop <sequence>', 'a stop sequence (repeat for up to 4)', collect)
    .option('--image <file>', 'a PNG, JPEG, GIF or WebP image, at most 3.75 MB (repeat for more)', collect)
    .addOption(new Option('--latency <mode>', 'latency-optimized inference where the model offers it').choices(LatencyModeSchema.options))
    .addOption(new Option('--service-tier <tier>', 'the service tier to ask for').choices([...SERVICE_TIERS]))
    .option('--auto-profile', 'call a bare id that the region serves only through profiles through the best profile (geo before global)')
    .option('--json', 'print one JSON document at the end (the result: text, stopReason, usage, metrics, route, served)')
    .addHelpText(
      'after',
      `
The answer streams to stdout; the figures (TTFT, E2E, output speed, tokens, stop reason, server latency, route,
what was served) go to stderr. Ctrl+C aborts the request upstream, keeps what was printed and exits 130.
Exit codes: 0 answered, 1 Bedrock or the pre-flight refused (the message says what to use), 2 a bad option.

Examples:
  bedrock-atlas prompt --target anthropic.claude-3-haiku-20240307-v1:0 --region us-east-1 "Why is the sky blue?"
  echo "Summarise this" | bedrock-atlas prompt --target amazon.nova-2-lite-v1:0 --region eu-west-3 --auto-profile -
  bedrock-atlas prompt --target us.amazon.nova-pro-v1:0 --region us-east-1 --image chart.png --json "Describe it"`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (text: string | undefined, opts: Record<string, unknown>) => {
    const input = await buildInput(text, opts, terminal, io);
    const core = await openCommandCore(opts, io, version);
    const abort = new AbortController();
    const stopListening = terminal.onInterrupt(() => abort.abort());
    try {
      // Pre-flight from the catalog before any call: a RouteError names the profiles or regions to use.
      const { document } = await core.catalog().get();
      const route = resolveRoute(document, input.target, input.region, { autoProfile: input.autoProfile });
      if (route.autoRoutedFrom) io.stderr(`auto-profile: ${route.autoRoutedFrom} is served in ${input.region} only through profiles; calling ${route.invokeId}.`);
      if (route.model?.streaming === false) io.stderr(`${route.modelId} does not stream: calling Converse, the answer arrives whole.`);
      let printed = false;
      let result: ConverseResult;
      try {
        result = await core.streamHandlers.converse(input, {
          signal: abort.signal,
          emit: async ({ text: chunk }) => {
            if (opts.json) return;
            terminal.write(chunk);
            printed = true;
          },
        });
      } catch (error) {
        if (printed) terminal.write('\n');
        if (abort.signal.aborted) {
          io.stderr('Interrupted: the request was aborted upstream; the text above is what had arrived.');
          process.exitCode = EXIT_INTERRUPTED;
          return;
        }
        throw error;
      }
      // An interrupted answer comes back as the text so far, marked cancelled.
      if (result.cancelled) {
        if (printed) terminal.write('\n');
        io.stderr('Interrupted: the request was aborted upstream; the text above is what had arrived.');
        process.exitCode = EXIT_INTERRUPTED;
        return;
      }
      if (opts.json) io.stdout(JSON.stringify(result, null, 2));
      else if (printed) terminal.write('\n');
      io.stderr(metricsLine(input, result));
    } finally {
      stopListening();
      core.close();
    }
  });
}
