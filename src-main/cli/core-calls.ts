import type { z } from 'zod';
import type { contract, MethodName, AtlasHandlers, StreamHandlers, StreamName, streams } from '../../src-shared/contract';
import type { SerializedError } from '../../src-shared/envelope';
import type { AtlasCore } from '../core/app/atlas-core';
import { UsageError } from './io';

/**
 * The CLI calls the core the way the transports do: methods through the validating dispatcher, streams through
 * the stream registry, both answering envelopes. An error comes back as the CLI's own: a bad argument or a
 * refused target is a usage error (exit 2) that names the flag the user typed, anything else keeps its name.
 */

/** Contract field paths and the flags that set them, per command (`requestTimeoutMs` → `--timeout-ms`). */
export type FlagNames = Record<string, string>;

/** A refusal of what the user asked for, not a failure of the service: exit 2. */
export const USAGE_CODES: ReadonlySet<string> = new Set(['UNKNOWN_TARGET', 'CONFIRMATION_REQUIRED', 'INVALID_ARGUMENT', 'INVALID_SETTINGS']);

export class CliError extends Error {
  constructor(
    readonly serialized: SerializedError,
    message = serialized.message,
  ) {
    super(message);
    this.name = serialized.name;
  }
  get code(): string | undefined {
    return this.serialized.code;
  }
}

function flagOf(path: string, flags: FlagNames): string | null {
  let best: string | null = null;
  for (const key of Object.keys(flags)) {
    if ((path === key || path.startsWith(`${key}.`)) && (best === null || key.length > best.length)) best = key;
  }
  return best === null ? null : flags[best]!;
}

/** One issue in the user's words: the flag, then the schema's message without the field's internal name. */
export function issueInFlags(issue: { path: string; message: string }, flags: FlagNames): string {
  const flag = flagOf(issue.path, flags);
  if (!flag) return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  const field = issue.path.split('.').filter((part) => !/^\d+$/.test(part)).at(-1) ?? '';
  // The schema's own sentence, with the flag where it named the field ("requestTimeoutMs must be…" → "--timeout-ms must be…").
  if (field && issue.message.startsWith(`${field} `)) return `${flag} ${issue.message.slice(field.length + 1)}`;
  return `${flag}: ${issue.message}`;
}

export function asCliError(error: SerializedError, flags: FlagNames = {}, usageCodes: ReadonlySet<string> = USAGE_CODES): Error {
  if (error.issues && error.issues.length > 0 && (error.code === 'INVALID_ARGUMENT' || error.code === 'INVALID_SETTINGS')) {
    return new UsageError(error.issues.map((issue) => issueInFlags(issue, flags)).join('; '));
  }
  if (error.code && usageCodes.has(error.code)) return new UsageError(error.message);
  return new CliError(error);
}

export async function callMethod<M extends MethodName>(
  core: AtlasCore,
  method: M,
  input: z.input<(typeof contract)[M]['input']>,
  options: { flags?: FlagNames; signal?: AbortSignal; usageCodes?: ReadonlySet<string> } = {},
): Promise<Awaited<ReturnType<AtlasHandlers[M]>>> {
  const envelope = await core.dispatcher.dispatch(method, input, { signal: options.signal });
  if (!envelope.ok) throw asCliError(envelope.error, options.flags, options.usageCodes);
  return envelope.value as Awaited<ReturnType<AtlasHandlers[M]>>;
}

type StreamInput<S extends StreamName> = z.input<(typeof streams)[S]['input']>;
type StreamChunk<S extends StreamName> = Parameters<Parameters<StreamHandlers[S]>[1]['emit']>[0];
type StreamResult<S extends StreamName> = Awaited<ReturnType<StreamHandlers[S]>>;

/**
 * Runs a stream through the registry, as the host and the IPC gate do: the input is validated before anything
 * starts, chunks reach `onChunk` in order, and the signal cancels it upstream. Answers the result, or throws the
 * error frame as the CLI's error; a cancel that ends without a result throws with `cancelled` set.
 */
export async function callStream<S extends StreamName>(
  core: AtlasCore,
  name: S,
  input: StreamInput<S>,
  onChunk: (chunk: StreamChunk<S>) => void | Promise<void>,
  options: { flags?: FlagNames; signal?: AbortSignal; usageCodes?: ReadonlySet<string>; before?: () => void } = {},
): Promise<StreamResult<S>> {
  const end: { frame: { ok: true; value: unknown } | { ok: false; error: SerializedError } | null } = { frame: null };
  let chain = Promise.resolve();
  const started = core.streams.start(
    name,
    input,
    {
      write: (frame) => {
        if (frame.type === 'chunk') {
          chain = chain.then(() => onChunk(frame.data as StreamChunk<S>));
        } else if (frame.type === 'result') end.frame = { ok: true, value: frame.data };
        else end.frame = { ok: false, error: frame.data };
        return true;
      },
      onDrain: () => () => {},
      closed: false,
    },
    { signal: options.signal },
  );
  if (!started.ok) throw asCliError(started.error, options.flags, options.usageCodes);
  options.before?.();
  await started.value.done;
  await chain;
  const final = end.frame;
  if (final === null) throw new Error(`The ${name} stream ended without a result.`);
  if (!final.ok) throw asCliError(final.error, options.flags, options.usageCodes);
  return final.value as StreamResult<S>;
}
