import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { checkWorkload, hostFieldErrors, type WorkloadField, type WorkloadForm, type WorkloadMode } from './calculator-form';
import { CapacityTable } from './CapacityTable';
import { CAPACITY_KEY } from './use-quota-refresh';
import { WorksheetSection } from './WorksheetSection';

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

const LABELS: Record<WorkloadField, { label: string; hint: string }> = {
  rpm: { label: 'Requests per minute', hint: 'The rate the workload asks for' },
  concurrency: { label: 'Concurrency', hint: 'Requests in flight at once' },
  durationMs: { label: 'Request duration (ms)', hint: 'From the request to its last token' },
  inputTokens: { label: 'Input tokens', hint: 'Per request, neither read from nor written to the prompt cache' },
  maxTokens: { label: 'max_tokens', hint: 'Reserved against the tokens-per-minute quota while the request runs' },
  outputTokens: { label: 'Output tokens', hint: 'The output expected per request; empty: max_tokens (the worst case)' },
  cacheReadTokens: { label: 'Cache read tokens', hint: 'Read from the prompt cache: they do not count against the quota' },
  cacheWriteTokens: { label: 'Cache write tokens', hint: 'Written to the prompt cache: they count like input' },
};

function Field({ field, form, errors, onChange }: { field: WorkloadField; form: WorkloadForm; errors: Partial<Record<WorkloadField, string>>; onChange(field: WorkloadField, text: string): void }) {
  const id = useId();
  const error = errors[field];
  const { label, hint } = LABELS[field];
  return (
    <label className="cap-field" htmlFor={id} title={hint}>
      <span>{label}</span>
      <input
        id={id}
        placeholder={field === 'outputTokens' ? 'max_tokens' : undefined}
        inputMode="numeric"
        value={form.fields[field]}
        onChange={(event) => onChange(field, event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        spellCheck={false}
        autoComplete="off"
      />
      {error ? (
        <small id={`${id}-error`} className="cap-field-error" data-testid={`error-${field}`}>
          {error}
        </small>
      ) : null}
    </label>
  );
}

/** Section c: the workload, checked by the contract's schema as it is typed (nothing invalid is sent), and what every route can carry. */
export function CalculatorSection({ target, from, form, onForm }: { target: string; from: string; form: WorkloadForm; onForm(form: WorkloadForm): void }) {
  const { api } = useAtlas();
  const id = useId();
  const checked = checkWorkload(form, target, from);
  const input = useDebounced(checked.ok ? checked.input : null, 250);
  const capacity = useQuery({
    queryKey: [...CAPACITY_KEY, input],
    queryFn: () => api.capacity(input!),
    enabled: input !== null,
    retry: false,
    staleTime: 30_000,
    // The table stays (marked as being brought up to date) while the next figures come.
    placeholderData: keepPreviousData,
  });
  const fieldErrors = checked.ok ? (capacity.isError ? hostFieldErrors(capacity.error) : {}) : checked.fieldErrors;
  const setField = (field: WorkloadField, text: string) => onForm({ ...form, fields: { ...form.fields, [field]: text } });
  const setMode = (mode: WorkloadMode) => onForm({ ...form, mode });
  const stale = checked.ok && JSON.stringify(input) !== JSON.stringify(checked.input);

  return (
    <>
      <section className="cap-section" aria-labelledby={`${id}-title`} data-testid="cap-calculator">
        <header className="cap-section-header">
          <h2 id={`${id}-title`}>Will it carry my load?</h2>
          <span className="muted">Every route from {from}, at the quota burn of “How tokens are counted in Amazon Bedrock”.</span>
        </header>
        <form className="cap-form" aria-label="Workload" onSubmit={(event) => event.preventDefault()}>
          <fieldset className="cap-mode">
            <legend>Load</legend>
            <label>
              <input type="radio" name={`${id}-mode`} checked={form.mode === 'rate'} onChange={() => setMode('rate')} /> A rate
            </label>
            <label>
              <input type="radio" name={`${id}-mode`} checked={form.mode === 'concurrency'} onChange={() => setMode('concurrency')} /> A concurrency
            </label>
            {form.mode === 'rate' ? (
              <Field field="rpm" form={form} errors={fieldErrors} onChange={setField} />
            ) : (
              <>
                <Field field="concurrency" form={form} errors={fieldErrors} onChange={setField} />
                <Field field="durationMs" form={form} errors={fieldErrors} onChange={setField} />
              </>
            )}
          </fieldset>
          <fieldset className="cap-tokens">
            <legend>Tokens per request</legend>
            {(['inputTokens', 'maxTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const).map((field) => (
              <Field key={field} field={field} form={form} errors={fieldErrors} onChange={setField} />
            ))}
          </fieldset>
        </form>
        {!checked.ok && checked.formErrors.length > 0 ? (
          <p className="cap-field-error" role="alert" data-testid="form-errors">
            {checked.formErrors.join(' ')}
          </p>
        ) : null}
        {!checked.ok ? (
          <p className="muted" data-testid="not-sent">
            Fix the field{Object.keys(checked.fieldErrors).length + checked.formErrors.length > 1 ? 's' : ''} above: nothing is computed until the workload is valid.
          </p>
        ) : null}
        {checked.ok && capacity.isError ? <ErrorNotice error={capacity.error} /> : null}
        {checked.ok && !capacity.data && !capacity.isError ? <p className="muted">Computing…</p> : null}
        {checked.ok && capacity.data ? (
          <div className={stale || capacity.isFetching ? 'cap-stale' : undefined} aria-busy={stale || capacity.isFetching}>
            <CapacityTable answer={capacity.data} input={checked.input} />
          </div>
        ) : null}
      </section>
      {checked.ok && capacity.data ? <WorksheetSection answer={capacity.data} /> : null}
    </>
  );
}
