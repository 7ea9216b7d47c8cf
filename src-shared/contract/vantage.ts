import { z } from 'zod';

/**
 * Where measurements were taken from (issue 19): this machine's own history, a vantage of the team's store (the
 * monitor's configured name), or all of them pooled. Its own page because the latency and catalog pages take it as a
 * parameter and the fleet page (fleet.ts) builds on theirs.
 */

/** This machine's own history, as a vantage. */
export const LOCAL_VANTAGE = 'local';
/** Every vantage pooled: this machine's history and every vantage of the team's store. */
export const ALL_VANTAGES = 'all';
export const LOCAL_VANTAGE_LABEL = 'this machine';

// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Which measurements a latency query reads: `local` (this machine, the default), `all`, or a vantage's name as the
 * store spells it (the monitor's configured vantage). A name that is in no cached part is refused by the handler
 * with the names it knows (code UNKNOWN_VANTAGE).
 */
export const VantageChoiceSchema = z
  .string()
  .trim()
  .min(1, 'A vantage is local, all, or a vantage name')
  .max(200)
  .refine((value) => !CONTROL_CHARACTER.test(value) && !value.includes('/'), 'A vantage name may not contain a slash or control characters');
export type VantageChoice = z.input<typeof VantageChoiceSchema>;

