// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PaneSession } from './pane-session';
import { SummaryRow } from './SummaryRow';

afterEach(cleanup);

describe('SummaryRow (issue 21 §6: one error, shown once in full)', () => {
  it('names the failed pane and refers to it, without repeating the message the pane shows in full', async () => {
    const ok = new PaneSession((flush) => queueMicrotask(flush));
    const failed = new PaneSession((flush) => queueMicrotask(flush));
    const message = 'us-east-1 did not accept the request: you do not have access to the model with the specified model ID.';
    await act(async () => {
      failed.refuse([{ text: 'hi' }], { name: 'AccessDeniedException', code: 'ACCESS_DENIED', message });
    });
    render(<SummaryRow sessions={[ok, failed]} />);
    const failures = screen.getByRole('alert');
    expect(failures.textContent).toBe('Failed: Pane 2 (AccessDeniedException) — the pane says why.');
    expect(screen.getByTestId('summary').textContent).not.toContain('did not accept');
  });
});
