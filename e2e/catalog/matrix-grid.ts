import { expect, type Page } from '@playwright/test';

/** Helpers for the matrix specs: where the active cell is, and whether anyone can see it. */

export interface Placement {
  id: string;
  role: string;
  text: string;
  /** The cell's box and the part of the grid where a cell of its kind is visible and uncovered. */
  cell: { top: number; bottom: number; left: number; right: number };
  visible: { top: number; bottom: number; left: number; right: number };
  /** What is drawn at the cell's centre: the cell itself (or its content) when nothing covers it. */
  uncovered: boolean;
}

export async function activePlacement(page: Page): Promise<Placement | null> {
  return page.evaluate(() => {
    const grid = document.getElementById('matrix-grid');
    const id = grid?.getAttribute('aria-activedescendant');
    const cell = id ? document.getElementById(id) : null;
    if (!grid || !cell || !id) return null;
    const gridBox = grid.getBoundingClientRect();
    const box = cell.getBoundingClientRect();
    const header = grid.querySelector('.matrix-header')!.getBoundingClientRect();
    const nameColumn = grid.querySelector('.row-header, .matrix-corner')!.getBoundingClientRect();
    const role = cell.getAttribute('role')!;
    const inHeader = role === 'columnheader';
    const inNames = role === 'rowheader';
    const centre = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
    return {
      id,
      role,
      text: cell.textContent ?? '',
      cell: { top: box.top, bottom: box.bottom, left: box.left, right: box.right },
      visible: {
        top: inHeader ? gridBox.top : header.bottom,
        bottom: gridBox.top + grid.clientHeight,
        left: inNames ? gridBox.left : gridBox.left + nameColumn.width,
        right: gridBox.left + grid.clientWidth,
      },
      uncovered: centre !== null && (centre === cell || cell.contains(centre)),
    };
  });
}

/** Fails with the key that lost the cell and by how many pixels. */
export async function expectActiveCellVisible(page: Page, afterKey: string): Promise<void> {
  const placement = await activePlacement(page);
  expect(placement, `an active cell after ${afterKey}`).not.toBeNull();
  const { cell, visible } = placement!;
  const slack = 0.5;
  expect(cell.top, `top of the active cell after ${afterKey}`).toBeGreaterThanOrEqual(visible.top - slack);
  expect(cell.bottom, `bottom of the active cell after ${afterKey}`).toBeLessThanOrEqual(visible.bottom + slack);
  expect(cell.left, `left of the active cell after ${afterKey}`).toBeGreaterThanOrEqual(visible.left - slack);
  expect(cell.right, `right of the active cell after ${afterKey}`).toBeLessThanOrEqual(visible.right + slack);
  expect(placement!.uncovered, `nothing covers the active cell after ${afterKey}`).toBe(true);
}

export async function pressAndCheck(page: Page, key: string, times = 1): Promise<void> {
  for (let press = 1; press <= times; press++) {
    await page.keyboard.press(key);
    await expectActiveCellVisible(page, `${key} #${press}`);
  }
}

export function cell(page: Page, modelId: string, region: string) {
  return page.locator(`[data-testid=matrix] .cell[data-model="${modelId}"][data-region="${region}"]`);
}
