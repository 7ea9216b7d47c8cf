import type { z } from 'zod';
import { contract, isMethodName, type AtlasHandlers, type MethodName } from '../../../src-shared/contract';
import { serializeError, type Envelope, type SerializedError } from '../../../src-shared/envelope';

/**
 * The one gate every call passes through, whichever transport carried it (IPC or loopback HTTP): the method
 * must exist, the argument must match the contract's schema, and the answer is always an envelope. Nothing a
 * caller sends can throw out of `dispatch`. The caller's signal reaches the handler, so a caller that goes away
 * aborts the work it started.
 */
export interface Dispatcher {
  dispatch(method: string, rawInput: unknown, options?: { signal?: AbortSignal }): Promise<Envelope<unknown>>;
}

export class UnknownMethodError extends Error {
  override readonly name = 'UnknownMethodError';
  readonly code = 'UNKNOWN_METHOD';
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'INVALID_ARGUMENT';
  constructor(
    method: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid argument for ${method}: ${issues.map((issue) => (issue.path ? `${issue.path}: ` : '') + issue.message).join('; ')}`);
  }
}

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function validateInput<M extends MethodName>(method: M, rawInput: unknown): z.output<(typeof contract)[M]['input']> {
  const result = contract[method].input.safeParse(rawInput);
  if (!result.success) throw new ValidationError(method, issuesOf(result.error));
  return result.data as z.output<(typeof contract)[M]['input']>;
}

/** A serialized error whose texts went through `redact`, so no credential in an upstream message reaches a caller. */
export function redactedError(error: SerializedError, redact: (text: string) => string): SerializedError {
  return {
    ...error,
    message: redact(error.message),
    ...(error.issues ? { issues: error.issues.map((issue) => ({ ...issue, message: redact(issue.message) })) } : {}),
  };
}

export function createDispatcher(
  handlers: AtlasHandlers,
  log: (line: string) => void = () => {},
  redact: (text: string) => string = (text) => text,
): Dispatcher {
  return {
    async dispatch(method, rawInput, options = {}) {
      try {
        if (!isMethodName(method)) throw new UnknownMethodError(`Unknown method "${method}"`);
        const input = validateInput(method, rawInput);
        const handler = handlers[method] as (input: unknown, context: { signal: AbortSignal }) => Promise<unknown>;
        return { ok: true, value: await handler(input, { signal: options.signal ?? new AbortController().signal }) };
      } catch (error) {
        const serialized = redactedError(serializeError(error), redact);
        if (!(error instanceof ValidationError) && !(error instanceof UnknownMethodError)) {
          log(`${method} failed: ${serialized.name}: ${serialized.message}`);
        }
        return { ok: false, error: serialized };
      }
    },
  };
}
