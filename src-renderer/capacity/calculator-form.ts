import { CapacityInputSchema, type CapacityInput } from '../../src-shared/contract/capacity';

/** What the calculator's form holds (numbers as typed), and how it becomes the contract's input or its problems. */

export type WorkloadMode = 'rate' | 'concurrency';

export const WORKLOAD_FIELDS = ['rpm', 'concurrency', 'durationMs', 'inputTokens', 'maxTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const;
export type WorkloadField = (typeof WORKLOAD_FIELDS)[number];

export interface WorkloadForm {
  mode: WorkloadMode;
  fields: Record<WorkloadField, string>;
}

export const DEFAULT_WORKLOAD: WorkloadForm = {
  mode: 'rate',
  fields: { rpm: '60', concurrency: '10', durationMs: '4000', inputTokens: '2000', maxTokens: '1024', outputTokens: '400', cacheReadTokens: '0', cacheWriteTokens: '0' },
};

/** The fields a mode sends: a rate, or a concurrency with its request duration; never both (the schema refuses both). */
const MODE_FIELDS: Record<WorkloadMode, readonly WorkloadField[]> = { rate: ['rpm'], concurrency: ['concurrency', 'durationMs'] };
const WORKLOAD_TOKEN_FIELDS: readonly WorkloadField[] = ['inputTokens', 'maxTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'];

export type CheckedWorkload =
  | { ok: true; input: CapacityInput }
  | { ok: false; fieldErrors: Partial<Record<WorkloadField, string>>; formErrors: string[] };

/**
 * The form as the contract's input, checked by the contract's own schema, so the page says what the host would and
 * never sends what it would refuse. An empty optional field is left out; any other text is a number or the
 * schema's message for it ("abc" and "1.5" are refused in words, never read as 0).
 */
export function checkWorkload(form: WorkloadForm, target: string, from: string): CheckedWorkload {
  const input: Record<string, unknown> = { target, from };
  for (const field of [...MODE_FIELDS[form.mode], ...WORKLOAD_TOKEN_FIELDS]) {
    const text = form.fields[field].trim();
    if (text !== '') input[field] = Number(text);
  }
  const parsed = CapacityInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, input: parsed.data };
  const fieldErrors: Partial<Record<WorkloadField, string>> = {};
  const formErrors: string[] = [];
  for (const issue of parsed.error.issues) {
    const field = WORKLOAD_FIELDS.find((candidate) => candidate === issue.path[0]);
    if (field) fieldErrors[field] ??= issue.message;
    else formErrors.push(issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
  }
  return { ok: false, fieldErrors, formErrors };
}

/** A refusal from the host (a model's own output limit) names its field in `issues`: shown beside that field too. */
export function hostFieldErrors(error: unknown): Partial<Record<WorkloadField, string>> {
  const issues = (error as { issues?: { path: string; message: string }[] } | null)?.issues ?? [];
  const errors: Partial<Record<WorkloadField, string>> = {};
  for (const issue of issues) {
    const field = WORKLOAD_FIELDS.find((candidate) => candidate === issue.path.split('.')[0]);
    if (field) errors[field] ??= issue.message;
  }
  return errors;
}
