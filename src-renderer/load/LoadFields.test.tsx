// @vitest-environment happy-dom
import { cleanup, fireEvent, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadFields } from './LoadFields';
import { DEFAULT_LEVELS, DEFAULT_LOAD_OPTIONS, type LoadOptions } from './load-options';

afterEach(cleanup);

function renderFields(options: LoadOptions = DEFAULT_LOAD_OPTIONS) {
  const onChange = vi.fn();
  const view = render(<LoadFields options={options} onChange={onChange} disabled={false} />);
  return { onChange, fields: view.container.querySelector('fieldset') as HTMLElement };
}

describe('LoadFields', () => {
  it('starts as a closed loop with unique prompts on and the chat SLO, its bounds and source said', () => {
    const { fields } = renderFields();
    expect((within(fields).getByRole('radio', { name: /^Closed loop/ }) as HTMLInputElement).checked).toBe(true);
    expect((within(fields).getByRole('checkbox', { name: /^Unique prompts/ }) as HTMLInputElement).checked).toBe(true);
    expect(within(fields).getByTestId('slo-preset').textContent).toMatch(/^TTFT ≤ 1000 ms, ITL ≤ 50 ms at p90: goodput counts/);
    expect(within(fields).getByLabelText('Seconds per level')).toBeTruthy();
  });

  it('the open loop swaps in rate levels and asks for arrivals; a closed loop by count asks for requests per level', () => {
    const { onChange, fields } = renderFields();
    fireEvent.click(within(fields).getByRole('radio', { name: /^Open loop/ }));
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_LOAD_OPTIONS, mode: 'rate', levels: DEFAULT_LEVELS.rate });
    cleanup();
    const rate = renderFields({ ...DEFAULT_LOAD_OPTIONS, mode: 'rate', levels: DEFAULT_LEVELS.rate });
    expect(within(rate.fields).getByLabelText('Arrivals')).toBeTruthy();
    expect(within(rate.fields).queryByLabelText('Each level lasts')).toBeNull();
    cleanup();
    const counted = renderFields({ ...DEFAULT_LOAD_OPTIONS, stepBy: 'requests' });
    fireEvent.change(within(counted.fields).getByLabelText('Requests per level'), { target: { value: '25' } });
    expect(counted.onChange).toHaveBeenLastCalledWith({ ...DEFAULT_LOAD_OPTIONS, stepBy: 'requests', stepRequests: 25 });
  });

  it('a custom SLO shows its bounds; an emptied budget is no budget', () => {
    const { fields, onChange } = renderFields({ ...DEFAULT_LOAD_OPTIONS, slo: 'custom', maxRequests: 100 });
    const custom = within(fields).getByRole('group', { name: 'Custom SLO' });
    expect(within(custom).getAllByRole('spinbutton').map((input) => (input as HTMLInputElement).value)).toEqual(['1000', '50', '', '90']);
    fireEvent.change(within(fields).getByLabelText('Max requests (budget)'), { target: { value: '' } });
    expect(Number.isNaN(onChange.mock.lastCall?.[0].maxRequests)).toBe(true);
  });
});
