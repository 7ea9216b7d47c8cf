import { open } from 'node:fs/promises';
import { ConverseInputSchema, type ConverseInput, type ConverseResult } from '../../../src-shared/contract';
import { MAX_IMAGE_BYTES } from '../../../src-shared/contract/playground';
import { resolveRoute, RouteError } from '../../../src-shared/catalog/resolve-route';
import { checkImage, ImageRefused, imageFormatOf, toBase64 } from '../../../src-shared/playground/images';
import { takesImages } from '../../../src-shared/playground/model-options';
import { metricsLine } from '../../../src-shared/playground/describe-result';
import { openCommandCore } from '../command-core';
import { callMethod, callStream, issueInFlags } from '../core-calls';
import { EXIT_INTERRUPTED } from '../interrupt';
import { printable, UsageError, type CommandIo } from '../io';
import type { ActionContext } from '../lazy-action';

/**
 * `bedrock-atlas prompt`: one prompt through one route, the answer streamed to stdout chunk by chunk as it
 * arrives, the figures on stderr. Everything the playground checks before sending is checked here too, so a
 * bad option costs no call (exit 2), and a bare id that needs a profile is caught before Bedrock refuses it.
 */

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

/** The contract's fields and the flags that set them, so a refusal names what the user typed. */
export const PROMPT_FLAGS = {
  target: '--target',
  region: '--region',
  system: '--system',
  'inferenceConfig.maxTokens': '--max-tokens',
  'inferenceConfig.temperature': '--temperature',
  'inferenceConfig.topP': '--top-p',
  'inferenceConfig.stopSequences': '--stop',
  latency: '--latency',
  serviceTier: '--service-tier',
  messages: 'the prompt',
};

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/**
 * Checks the file before reading it: a regular file (not /dev/zero, a FIFO or a directory), no larger than Bedrock
 * takes, with an image's magic bytes; only then is it read, and never more than its size.
 */
export async function readImage(path: string) {
  const cannot = (error: unknown) => new UsageError(`Cannot read the image ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw cannot(error);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UsageError(`--image ${path} is not a regular file.`);
    if (info.size > MAX_IMAGE_BYTES) throw new UsageError(`--image ${path} is ${megabytes(info.size)}; Bedrock accepts at most 3.75 MB per image.`);
    const head = Buffer.alloc(Math.min(16, info.size));
    await handle.read(head, 0, head.length, 0);
    if (!imageFormatOf(head)) throw new UsageError(`--image ${path} is not a PNG, JPEG, GIF or WebP image (by its first bytes).`);
    const bytes = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(bytes, 0, info.size, 0);
    const content = bytes.subarray(0, bytesRead);
    return { image: { format: checkImage(path, content), bytesBase64: toBase64(content) } };
  } catch (error) {
    if (error instanceof ImageRefused) throw new UsageError(error.message);
    if (error instanceof UsageError) throw error;
    throw cannot(error);
  } finally {
    await handle.close();
  }
}

/** The request as the playground would send it, validated by the same contract schema. */
async function buildInput(text: string | undefined, opts: Record<string, unknown>, terminal: PromptTerminal, io: CommandIo): Promise<ConverseInput> {
  const imagePaths = (opts.image as string[] | undefined) ?? [];
  // Images first: a bad file is refused before waiting on stdin.
  const images = [];
  for (const path of imagePaths) images.push(await readImage(path));
  let prompt = text;
  if (prompt === undefined || prompt === '-') {
    if (terminal.stdinIsTerminal) io.stderr('Reading the prompt from stdin; end it with Ctrl+D.');
    prompt = await terminal.readStdin();
  }
  if (prompt.trim() === '' && imagePaths.length === 0) {
    throw new UsageError('The prompt is empty: give TEXT, or pipe it on stdin (`-`).');
  }
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
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    throw new UsageError(issues.map((issue) => issueInFlags(issue, PROMPT_FLAGS)).join('; '));
  }
  return parsed.data;
}

function interrupted(io: CommandIo, terminal: PromptTerminal, printed: boolean): void {
  if (printed) terminal.write('\n');
  io.stderr('Interrupted: the request was aborted upstream; the text above is what had arrived.');
  process.exitCode = EXIT_INTERRUPTED;
}

export async function promptAction({ opts, operands, shared, io, version }: ActionContext, terminal: PromptTerminal = processTerminal): Promise<void> {
  const input = await buildInput(operands[0], opts, terminal, io);
  const core = await openCommandCore(shared, io, version);
  const abort = new AbortController();
  const stopListening = terminal.onInterrupt(() => abort.abort());
  try {
    // Pre-flight from the catalog before any call: a RouteError names the profiles or regions to use.
    const { document } = await callMethod(core, 'getCatalog', undefined);
    let route;
    try {
      route = resolveRoute(document, input.target, input.region, { autoProfile: input.autoProfile });
    } catch (error) {
      // An unknown target is a mistake in the command (exit 2), said in the terminal's words.
      if (error instanceof RouteError && error.code === 'UNKNOWN_TARGET') {
        throw new UsageError(`No model or inference profile matches "${input.target.trim()}". Search with \`bedrock-atlas where NAME\`.`);
      }
      throw error;
    }
    const hasImages = input.messages.some((message) => message.content.some((block) => 'image' in block));
    if (hasImages && route.model && !takesImages(route.model)) {
      throw new UsageError(`${route.modelId} does not take images (its input: ${route.model.inputModalities.join(', ')}). Remove --image or choose a model that takes images.`);
    }
    if (route.autoRoutedFrom) io.stderr(`auto-profile: ${route.autoRoutedFrom} is served in ${input.region} only through profiles; calling ${route.invokeId}.`);
    if (route.model?.streaming === false) io.stderr(`${route.modelId} does not stream: calling Converse, the answer arrives whole.`);
    let printed = false;
    let result: ConverseResult;
    try {
      result = await callStream(
        core,
        'converse',
        input,
        ({ text: chunk }) => {
          if (opts.json) return;
          terminal.write(chunk);
          printed = true;
        },
        { signal: abort.signal, flags: PROMPT_FLAGS, usageCodes: new Set(['INVALID_ARGUMENT']) },
      );
    } catch (error) {
      if (abort.signal.aborted) return interrupted(io, terminal, printed);
      if (printed) terminal.write('\n');
      throw error;
    }
    // An interrupted answer comes back as the text so far, marked cancelled.
    if (result.cancelled || abort.signal.aborted) return interrupted(io, terminal, printed);
    if (opts.json) io.stdout(JSON.stringify(result, null, 2));
    else if (printed) terminal.write('\n');
    io.stderr(metricsLine(input, result));
  } finally {
    stopListening();
    await core.close();
  }
}
