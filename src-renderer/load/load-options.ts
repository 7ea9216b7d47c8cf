import {
  DEFAULT_STEP_DURATION_MS,
  LOAD_FORMS,
  LoadRunInputSchema,
  parseLoadText,
  SLO_PRESET_VALUES,
  type ArrivalProcess,
  type LoadMode,
  type LoadRunInput,
  type SloInput,
  type SloPreset,
} from '../../src-shared/contract/load';
import type { RunOptions } from '../latency/run-options';

/**
 * What the lab's Load mode holds besides the target, regions and prompt it shares with a latency run, and how the two
 * become the contract's load run input. Numbers are as the inputs give them: NaN for an empty optional field.
 */

export type StepBy = 'duration' | 'requests';
export type SloChoice = SloPreset | 'custom' | 'none';

export interface LoadOptions {
  mode: LoadMode;
  /** As typed: "1,2,4,8". */
  levels: string;
  arrivals: ArrivalProcess;
  /** Closed loop only: a level lasts a duration or a number of requests; an open-loop level always lasts a duration. */
  stepBy: StepBy;
  stepSeconds: number;
  stepRequests: number;
  slo: SloChoice;
  /** The custom SLO's bounds (NaN: no bound) and percentile. */
  sloTtftMs: number;
  sloInterTokenMs: number;
  sloE2eMs: number;
  sloPercentile: number;
  uniquePrompts: boolean;
  /** NaN: no budget. */
  maxRequests: number;
  maxCostUsd: number;
}

export const DEFAULT_LEVELS: Record<LoadMode, string> = { concurrency: '1,2,4,8', rate: '0.5,1,2,4' };

export const DEFAULT_LOAD_OPTIONS: LoadOptions = {
  mode: 'concurrency',
  levels: DEFAULT_LEVELS.concurrency,
  arrivals: 'poisson',
  stepBy: 'duration',
  stepSeconds: DEFAULT_STEP_DURATION_MS / 1000,
  stepRequests: 20,
  slo: 'chat',
  sloTtftMs: SLO_PRESET_VALUES.chat.ttftMs ?? Number.NaN,
  sloInterTokenMs: SLO_PRESET_VALUES.chat.interTokenMs ?? Number.NaN,
  sloE2eMs: Number.NaN,
  sloPercentile: SLO_PRESET_VALUES.chat.percentile,
  uniquePrompts: true,
  maxRequests: Number.NaN,
  maxCostUsd: Number.NaN,
};

/** Switching loop keeps typed levels, but swaps the other loop's untouched defaults for this one's. */
export function withMode(options: LoadOptions, mode: LoadMode): LoadOptions {
  const untouched = Object.values(DEFAULT_LEVELS).includes(options.levels.replace(/\s+/g, ''));
  return { ...options, mode, levels: untouched ? DEFAULT_LEVELS[mode] : options.levels };
}

const given = (value: number) => (Number.isFinite(value) ? value : undefined);

function sloInput(options: LoadOptions): SloInput | null {
  if (options.slo === 'none') return null;
  if (options.slo !== 'custom') return { preset: options.slo };
  const bounds = { ttftMs: given(options.sloTtftMs), interTokenMs: given(options.sloInterTokenMs), e2eMs: given(options.sloE2eMs), percentile: given(options.sloPercentile) };
  return { preset: 'custom', ...Object.fromEntries(Object.entries(bounds).filter(([, value]) => value !== undefined)) };
}

// The contract's level messages end with the CLI's forms; the form's own hint says what to type instead.
const withoutForms = (message: string) => message.replace(`. Use ${LOAD_FORMS}`, '').replace(`Use ${LOAD_FORMS}`, '');

/** The contract's field names in the form's words (its step is in seconds, the contract's in milliseconds). */
const FIELD_WORDS: [string, string][] = [
  ['stepRequests', 'requests per level'],
  ['maxRequests', 'max requests'],
  ['maxCostUsd', 'max cost'],
  ['maxTokens', 'max tokens'],
];

function inFormWords(path: string, message: string): string {
  if (path === 'stepDurationMs') return 'each level lasts between 0.1 and 3600 seconds';
  const named = FIELD_WORDS.find(([name]) => path === name || path === `slo.${name}`)?.[1] ?? path.replace('slo.', 'SLO ');
  if (/received NaN/.test(message)) return `${named}: give a number`;
  let text = withoutForms(message);
  for (const [name, words] of FIELD_WORDS) text = text.replaceAll(name, words);
  if (path.startsWith('slo') && !/SLO/.test(text)) return `SLO: ${text}`;
  return text;
}

/** The load run input, or the first problems in words (levels out of order, a budget of 0…) before anything is sent. */
export function loadRunInput(run: RunOptions, options: LoadOptions, confirmed = false): { ok: true; input: LoadRunInput } | { ok: false; message: string } {
  if (run.regions.length === 0) return { ok: false, message: 'Choose at least one region (or a preset).' };
  const parsed = parseLoadText(`${options.mode}:${options.levels}`);
  if ('error' in parsed) return { ok: false, message: withoutForms(parsed.error.replace(`"${options.mode}:${options.levels}" is not a load`, 'Give the levels as numbers separated by commas')) };
  const timed = options.mode === 'rate' || options.stepBy === 'duration';
  const input: LoadRunInput = {
    target: run.target,
    regions: run.regions,
    load: options.mode === 'rate' ? { mode: 'rate', levels: parsed.levels, arrivals: options.arrivals } : { mode: 'concurrency', levels: parsed.levels },
    ...(timed ? { stepDurationMs: Math.round(options.stepSeconds * 1000) } : { stepRequests: options.stepRequests }),
    promptSize: run.promptSize,
    maxTokens: run.maxTokens,
    latency: run.latency,
    autoProfile: run.autoProfile,
    uniquePrompts: options.uniquePrompts,
    slo: sloInput(options),
    ...(given(options.maxRequests) !== undefined ? { maxRequests: options.maxRequests } : {}),
    ...(given(options.maxCostUsd) !== undefined ? { maxCostUsd: options.maxCostUsd } : {}),
    confirmed,
  };
  const checked = LoadRunInputSchema.safeParse(input);
  if (!checked.success) {
    return { ok: false, message: [...new Set(checked.error.issues.map((issue) => inFormWords(issue.path.join('.'), issue.message)))].join('; ') };
  }
  return { ok: true, input };
}
