/** A figure a bench reports was never measured: the bench ran nothing to report, which is the bench's own bug. */
export class NoSampleError extends Error {
  override name = 'NoSampleError';
  constructor(what: string) {
    super(`No sample to report for ${what}`);
  }
}

/** `values[index]`, or a NoSampleError naming `what` when the bench measured fewer. */
export function sampleAt<T>(values: readonly T[], index: number, what: string): T {
  const value = values[index];
  if (value === undefined) throw new NoSampleError(what);
  return value;
}

/** The middle value (the upper one of an even count), as the benches report it. */
export const median = (values: readonly number[]): number => sampleAt([...values].sort((a, b) => a - b), Math.floor(values.length / 2), 'a median');

/** The value at `index` going round `values` again and again: synthetic data spread over a few fixed choices. */
export const cycle = <T>(values: readonly T[], index: number): T => sampleAt(values, index % values.length, 'a value to cycle through');
