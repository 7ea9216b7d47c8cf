// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { CellPanel } from './CellPanel';

afterEach(cleanup);

/** The ranking and the access check are asked of the client and left pending: this panel's own logic is the subject. */
function renderPanel(modelId: string, region: string) {
  const onClose = vi.fn();
  const pending = () => new Promise<never>(() => {});
  const { wrapper, calls } = fakeClient({ bestRegions: pending, getModelAccess: pending });
  const model = SMALL_CATALOG.models[modelId];
  if (!model) throw new Error(`${modelId} is not in the small catalog`);
  render(<CellPanel document={SMALL_CATALOG} model={model} region={region} onClose={onClose} />, { wrapper });
  return { onClose, calls, panel: screen.getByTestId('cell-panel') };
}

const invokeIds = (panel: HTMLElement) => within(panel).queryAllByTestId('invoke-id').map((element) => element.textContent ?? '');

describe('CellPanel', () => {
  it('an on-demand model: the bare id to call, and no profile warning', () => {
    const { panel, calls } = renderPanel(HAIKU, 'us-east-1');
    expect(invokeIds(panel).some((text) => text.includes(HAIKU))).toBe(true);
    expect(within(panel).queryByTestId('profile-only-note')).toBeNull();
    expect(calls).toContainEqual({ method: 'bestRegions', input: { modelId: HAIKU, fromRegion: 'us-east-1' } });
  });

  it('a model served only through a profile: warns that the bare id fails, and lists the profile to call instead', () => {
    const { panel } = renderPanel(HAIKU_45, 'us-east-1');
    expect(within(panel).getByTestId('profile-only-note').textContent).toContain('on-demand throughput isn’t supported');
    const ids = invokeIds(panel);
    expect(ids.some((text) => text.includes(HAIKU_45_US))).toBe(true);
    expect(ids.some((text) => text.includes(HAIKU_45) && !text.includes(HAIKU_45_US))).toBe(false);
  });

  it('a region that does not serve the model says so, with nothing to call', () => {
    const { panel } = renderPanel(HAIKU, 'us-west-2');
    expect(invokeIds(panel)).toEqual([]);
    expect(panel.textContent).toContain('Not callable from us-west-2.');
  });

  it('Escape anywhere in the panel, or the close button, closes it', () => {
    const { panel, onClose } = renderPanel(HAIKU, 'us-east-1');
    const [firstButton] = within(panel).getAllByRole('button');
    expect(firstButton).toBeDefined();
    fireEvent.keyDown(firstButton!, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(panel, { key: 'Enter' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.click(within(panel).getByRole('button', { name: 'Close panel (Escape)' }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
