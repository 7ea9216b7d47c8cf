import { describe, expect, it } from 'vitest';
import { checkWorkload, DEFAULT_WORKLOAD, hostFieldErrors, type WorkloadForm } from './calculator-form';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const form = (fields: Partial<WorkloadForm['fields']>, mode: WorkloadForm['mode'] = 'rate'): WorkloadForm => ({ mode, fields: { ...DEFAULT_WORKLOAD.fields, ...fields } });
const errorsOf = (checked: ReturnType<typeof checkWorkload>) => (checked.ok ? null : checked.fieldErrors);

describe('checkWorkload: the contract’s own schema, before anything is sent', () => {
  it('a rate workload becomes the contract’s input; the concurrency fields of the other mode are not sent', () => {
    expect(checkWorkload(form({ outputTokens: '' }), HAIKU, 'us-east-1')).toEqual({
      ok: true,
      input: { target: HAIKU, from: 'us-east-1', rpm: 60, inputTokens: 2000, maxTokens: 1024, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
    const concurrency = checkWorkload(form({ concurrency: '8', durationMs: '3000' }, 'concurrency'), HAIKU, 'us-east-1');
    expect(concurrency.ok && concurrency.input).toMatchObject({ concurrency: 8, durationMs: 3000 });
    expect(concurrency.ok && 'rpm' in concurrency.input).toBe(false);
  });

  it('negative, zero, non-numeric, fractional and too large figures are refused, each beside its field, naming the valid range', () => {
    const errors = errorsOf(checkWorkload(form({ rpm: '-5', inputTokens: '0', maxTokens: 'lots', cacheReadTokens: '1.5', cacheWriteTokens: '20000000' }), HAIKU, 'us-east-1'));
    expect(errors).toEqual({
      rpm: 'The rate (requests per minute) must be a whole number from 1 to 10,000,000',
      inputTokens: 'Input tokens must be a whole number from 1 to 10,000,000',
      maxTokens: 'max_tokens must be a whole number from 1 to 10,000,000',
      cacheReadTokens: 'Cache read tokens must be a whole number from 0 to 10,000,000',
      cacheWriteTokens: 'Cache write tokens must be a whole number from 0 to 10,000,000',
    });
  });

  it('an empty required field is refused, never read as 0', () => {
    expect(errorsOf(checkWorkload(form({ inputTokens: '  ' }), HAIKU, 'us-east-1'))).toEqual({ inputTokens: 'Input tokens must be a whole number from 1 to 10,000,000' });
  });

  it('expected output above max_tokens is refused beside the output field', () => {
    expect(errorsOf(checkWorkload(form({ outputTokens: '2000', maxTokens: '1024' }), HAIKU, 'us-east-1'))).toEqual({ outputTokens: 'Output tokens cannot exceed max_tokens: give 0 to max_tokens' });
  });

  it('a concurrency without its duration says what is missing', () => {
    const checked = checkWorkload(form({ durationMs: '' }, 'concurrency'), HAIKU, 'us-east-1');
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.formErrors).toEqual(['A concurrency needs the expected request duration (durationMs), and a duration needs a concurrency']);
  });
});

describe('hostFieldErrors', () => {
  it('puts the host’s refusal (a model’s own output limit) beside its field', () => {
    const error = Object.assign(new Error('invalid'), { issues: [{ path: 'maxTokens', message: 'max_tokens is at most 4,096 for this model' }, { path: '', message: 'other' }] });
    expect(hostFieldErrors(error)).toEqual({ maxTokens: 'max_tokens is at most 4,096 for this model' });
    expect(hostFieldErrors(new Error('plain'))).toEqual({});
  });
});
