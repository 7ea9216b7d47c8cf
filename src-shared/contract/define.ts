import { z } from 'zod';
import { COMMERCIAL_REGIONS } from '../regions';

/**
 * The building blocks of the contract. A method pairs an input schema with an output type; a stream pairs an
 * input schema with a chunk type and a result type, plus how two chunks may be merged while the channel to the
 * caller is busy (so a slow reader gets fewer, larger chunks and never loses text).
 */

export interface MethodDefinition<Input extends z.ZodType = z.ZodType, Output = unknown> {
  input: Input;
  output: Output;
}

export interface StreamDefinition<Input extends z.ZodType = z.ZodType, Chunk = unknown, Result = unknown> {
  input: Input;
  chunk: Chunk;
  result: Result;
  /** Merges `next` into `previous` when both can travel as one chunk; undefined keeps them apart. */
  coalesce?: (previous: Chunk, next: Chunk) => Chunk | undefined;
}

/**
 * A field that carries a type for the compiler and holds nothing at run time: the contract's output, chunk and
 * result types are read from their definitions (`Contract[M]['output']`), never their values.
 */
const typeOnly = <T>(): T => undefined as T;

/** `method<Output>()(inputSchema)` */
export const method =
  <Output>() =>
  <Input extends z.ZodType>(input: Input): MethodDefinition<Input, Output> => ({ input, output: typeOnly<Output>() });

/** `stream<Chunk, Result>()(inputSchema, { coalesce })` */
export const stream =
  <Chunk, Result>() =>
  <Input extends z.ZodType>(
    input: Input,
    options: { coalesce?: (previous: Chunk, next: Chunk) => Chunk | undefined } = {},
  ): StreamDefinition<Input, Chunk, Result> => ({
    input,
    chunk: typeOnly<Chunk>(),
    result: typeOnly<Result>(),
    ...(options.coalesce ? { coalesce: options.coalesce } : {}),
  });

export const NoInput = z.object({}).strict().optional();

export const RegionNameSchema = z.enum(COMMERCIAL_REGIONS as [string, ...string[]], {
  error: (issue) => `Unknown region ${JSON.stringify(issue.input)}. Valid choices: ${COMMERCIAL_REGIONS.join(', ')}`,
});
export const RegionListSchema = z.array(RegionNameSchema).min(1, 'Choose at least one region');

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/** Model and profile ids and ARNs are printable: a NUL or an escape in one is refused here, not deep in a handler. */
export const ModelIdSchema = z
  .string()
  .trim()
  .min(1, 'A model id or name is required')
  .max(300)
  .refine((value) => !CONTROL_CHARACTER.test(value), 'A model id may not contain control characters');
