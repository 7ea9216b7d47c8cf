// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PromptBox, type PromptBoxProps } from './PromptBox';

afterEach(cleanup);

function renderBox(props: Partial<PromptBoxProps>) {
  const onCountTokens = vi.fn();
  const noop = () => {};
  render(<PromptBox prompt="" system="" images={[]} busy={false} panes={2} onPrompt={noop} onSystem={noop} onImages={noop} onSend={noop} onCancelAll={noop} onCountTokens={onCountTokens} {...props} />);
  return { onCountTokens, button: screen.getByRole('button', { name: 'Count tokens' }) };
}

describe('Count tokens says why it cannot count (issue 21 §18)', () => {
  it('with an empty prompt: still focusable, described by its reason, and a click counts nothing', () => {
    const { button, onCountTokens } = renderBox({ prompt: '  ' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect((button as HTMLButtonElement).disabled).toBe(false);
    const reason = document.getElementById(button.getAttribute('aria-describedby')!);
    expect(reason?.textContent).toBe('Write a prompt first: Count tokens counts its input tokens for each pane, before sending.');
    fireEvent.click(button);
    expect(onCountTokens).not.toHaveBeenCalled();
  });

  it('while answers stream it says it waits for them; with a prompt and nothing streaming it counts', () => {
    expect(screen.queryByTestId('count-tokens-why')).toBeNull();
    renderBox({ prompt: 'hello', busy: true });
    expect(screen.getByTestId('count-tokens-why').textContent).toBe('Count tokens waits until the answers have finished streaming.');
    cleanup();
    const { button, onCountTokens } = renderBox({ prompt: 'hello' });
    expect(button.getAttribute('aria-disabled')).toBeNull();
    expect(button.getAttribute('aria-describedby')).toBeNull();
    fireEvent.click(button);
    expect(onCountTokens).toHaveBeenCalledTimes(1);
  });
});
