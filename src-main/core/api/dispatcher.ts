import { z } from 'zod';
import { contract, isMethodName, type AtlasHandlers, type MethodName } from '../../../src-shared/contract';
import { serializeError, type Envelope } from '../../../src-shared/envelope';

/**
 * The one gate every call passes through, whichever transport carried it (IPC or loopback HTTP): the method
 * must exist, the argument must match the contract's schema, and the answer is always an envelope. Nothing a
 * caller sends can throw out of `dispatch`.
 */
export interface Dispatcher {
  dispatch(method: string, rawInput: unknown): Promise<Envelope<unknown>>;
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

export function validateInput<M extends MethodName>(method: M, rawInput: unknown): z.output<(typeof contract)[M]['input']> {
  const result = contract[method].input.safeParse(rawInput);
  if (!result.success) {
    throw new ValidationError(
      method,
      result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    );
  }
  return result.data as z.output<(typeof contract)[M]['input']>;
}

export function createDispatcher(handlers: AtlasHandlers, log: (line: string) => void = () => {}): Dispatcher {
  return {
    async dispatch(method, rawInput) {
      try {
        if (!isMethodName(method)) throw new UnknownMethodError(`Unknown method "${method}"`);
        const input = validateInput(method, rawInput);
        const handler = handlers[method] as (input: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(input) };
      } catch (error) {
        const serialized = serializeError(error);
        if (!(error instanceof ValidationError) && !(error instanceof UnknownMethodError)) {
          log(`${method} failed: ${serialized.name}: ${serialized.message}`);
        }
        return { ok: false, error: serialized };
      }
    },
  };
}
