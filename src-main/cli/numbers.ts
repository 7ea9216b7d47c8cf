import { InvalidArgumentError } from 'commander';

/** A whole number as typed (`--runs 10`); the schema then says which range is allowed. */
export function parseCount(value: string): number {
  const number = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) throw new InvalidArgumentError(`"${value}" is not a whole number`);
  return number;
}

/** A number as typed (`--temperature 0.5`), or a whole number. */
export function parseNumber(integer = false) {
  return (value: string) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
      throw new InvalidArgumentError(`"${value}" is not ${integer ? 'a whole number' : 'a number'}`);
    }
    return parsed;
  };
}
