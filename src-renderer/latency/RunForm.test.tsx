// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LatencyEstimate } from '../../src-shared/contract/latency';
import { HAIKU, SMALL_CATALOG } from '../testing/small-catalog';
import { RunForm, type RunFormProps } from './RunForm';
import { DEFAULT_OPTIONS, type RunOptions } from './run-options';
import { DEFAULT_LOAD_OPTIONS } from '../load/load-options';

afterEach(cleanup);

const OPTIONS: RunOptions = { ...DEFAULT_OPTIONS, target: HAIKU, regions: ['us-east-1', 'eu-west-1'], autoProfile: false };

const PRICE_TABLE: LatencyEstimate['priceTable'] = { asOf: '2026-11-01T00:00:00Z', fetchedAt: null, source: 'bundled', origin: null, products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } };

const estimate = (patch: Partial<LatencyEstimate> = {}): LatencyEstimate => ({
  requests: 20,
  warmupRequests: 2,
  inputTokens: 700,
  outputTokens: 2560,
  needsConfirmation: false,
  confirmationReasons: [],
  estimatedCostUsd: 0.0041,
  routeCosts: { 'us-east-1': { usd: 0.00205 }, 'eu-west-1': { usd: 0.00205 } },
  priceTable: PRICE_TABLE,
  simulated: true,
  routes: { 'us-east-1': { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' }, 'eu-west-1': { invokeId: HAIKU, callRegion: 'eu-west-1', kind: 'on-demand' } },
  unavailable: {},
  prompt: { size: 'small', inputTokens: 35, countedBy: 'estimate' },
  ...patch,
});

/** A latency-mode form: the load fields are the Load mode's (see LoadFields.test.tsx). */
const LATENCY_MODE = { mode: 'latency' as const, onMode: () => {}, load: DEFAULT_LOAD_OPTIONS, onLoadChange: () => {} };

function renderForm(props: Partial<RunFormProps> = {}) {
  const handlers = { onChange: vi.fn(), onStart: vi.fn(), onCancel: vi.fn() };
  const view = render(
    <RunForm document={SMALL_CATALOG} options={OPTIONS} {...LATENCY_MODE} estimate={{ data: estimate(), error: null, pending: false }} problem={null} running={false} {...handlers} {...props} />,
  );
  return { ...handlers, form: screen.getByRole('form', { name: 'Latency run' }), rerender: view.rerender };
}

describe('RunForm', () => {
  it('lists the regions in geographic order after a refresh whose regions answered in another order (issue 21 §14)', () => {
    // A refresh stores regions in the order they answered: the two opt-in Middle East regions fail first.
    const refreshed = { ...SMALL_CATALOG, regions: { 'me-central-1': { status: 'ok' as const }, 'me-south-1': { status: 'ok' as const }, ...SMALL_CATALOG.regions } };
    const { form, onChange } = renderForm({ document: refreshed });
    const boxes = within(form).getAllByRole('checkbox').map((box) => box.closest('label')?.textContent?.trim()).filter((name) => name && /^[a-z]{2}-[a-z]+-\d$/.test(name));
    expect(boxes).toEqual(['us-east-1', 'us-west-2', 'eu-west-1', 'me-central-1', 'me-south-1']);
    // A region ticked later takes its geographic place in the chosen list, not the end.
    fireEvent.click(within(form).getByRole('checkbox', { name: 'us-west-2' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'] }));
  });

  it('says what the run sends, and Start starts it once', () => {
    const { form, onStart } = renderForm();
    expect(within(form).getByTestId('estimate').textContent).toMatch(/20 requests \(2 routes × 10\) \+ 2 warm-up/);
    fireEvent.click(within(form).getByRole('button', { name: 'Start' }));
    expect(onStart).toHaveBeenCalledTimes(1);
  });

  it('Start waits for a fresh estimate, and is refused with the reason while a field is out of range', () => {
    expect((within(renderForm({ estimate: { data: estimate(), error: null, pending: true } }).form).getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    const { form } = renderForm({ problem: 'runs must be between 1 and 1000' });
    expect(within(form).getByRole('alert').textContent).toBe('runs must be between 1 and 1000');
    expect((within(form).getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('folds an open region list when the run starts, so Progress and Cancel fit on the screen (issue 21 §10)', () => {
    const { form, rerender } = renderForm();
    const list = form.querySelector('details.lat-region-list') as HTMLDetailsElement;
    list.open = true;
    rerender(<RunForm document={SMALL_CATALOG} options={OPTIONS} {...LATENCY_MODE} estimate={{ data: estimate(), error: null, pending: false }} problem={null} running onChange={vi.fn()} onStart={vi.fn()} onCancel={vi.fn()} />);
    expect(list.open).toBe(false);
  });

  it('while a run goes on: Cancel instead of Start, the fields locked, and a submit starts nothing', () => {
    const { form, onCancel, onStart } = renderForm({ running: true });
    expect(within(form).queryByRole('button', { name: 'Start' })).toBeNull();
    expect((within(form).getByPlaceholderText('Search by name or id') as HTMLInputElement).disabled).toBe(true);
    fireEvent.submit(form);
    expect(onStart).not.toHaveBeenCalled();
    fireEvent.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('a region that needs a profile names the fix, and one click turns auto-profile on', () => {
    const { form, onChange } = renderForm({
      estimate: { data: estimate({ unavailable: { 'us-west-2': { code: 'NEEDS_INFERENCE_PROFILE', message: 'Served here only through inference profiles.' } } }), error: null, pending: false },
    });
    const unavailable = within(form).getByRole('list', { name: 'Regions that cannot be measured' });
    expect(unavailable.textContent).toContain('us-west-2');
    fireEvent.click(within(unavailable).getByRole('button', { name: 'Turn on auto-profile' }));
    expect(onChange).toHaveBeenCalledWith({ ...OPTIONS, autoProfile: true });
  });

  it('changing a field hands back the whole options with that field changed', () => {
    const { form, onChange } = renderForm();
    fireEvent.change(within(form).getByLabelText('Runs per route'), { target: { value: '25' } });
    expect(onChange).toHaveBeenCalledWith({ ...OPTIONS, runs: 25 });
  });

  it('the estimate shows the dollars before a run, or which price is unknown (issue 17 §4)', () => {
    const { form, rerender, ...handlers } = renderForm();
    expect(within(form).getByTestId('estimated-cost').textContent).toBe('estimated $0.0041 at most');
    const unknown = estimate({ estimatedCostUsd: null, routeCosts: { 'us-east-1': { usd: 0.00205 }, 'eu-west-1': { usd: null, unknown: 'no in-region price for eu-west-1' } } });
    rerender(<RunForm document={SMALL_CATALOG} options={OPTIONS} {...LATENCY_MODE} estimate={{ data: unknown, error: null, pending: false }} problem={null} running={false} {...handlers} />);
    expect(within(form).getByTestId('estimated-cost').textContent).toBe('unknown price (eu-west-1: no in-region price for eu-west-1)');
    expect(within(form).getByTestId('estimate').textContent).not.toContain('$0');
  });
});
