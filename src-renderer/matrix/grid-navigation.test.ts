import { describe, expect, it } from 'vitest';
import { GROUP_ROW, NAME_COLUMN, REGION_ROW, firstAtOrAfter, nextPosition, revealScroll, type GridShape } from './grid-navigation';

// Three geographies of 3, 1 and 4 columns.
const spans: [first: number, last: number][] = [
  [0, 2],
  [3, 3],
  [4, 7],
];
const shape: GridShape = {
  rows: 50,
  columns: 8,
  pageRows: 10,
  groupStart: (column) => spans.find(([first, last]) => column >= first && column <= last)![0],
  groupEnd: (column) => spans.find(([first, last]) => column >= first && column <= last)![1],
};

describe('nextPosition', () => {
  it('moves one cell with the arrows and stops at the edges', () => {
    expect(nextPosition({ row: 3, column: 2 }, { key: 'ArrowDown' }, shape)).toEqual({ row: 4, column: 2 });
    expect(nextPosition({ row: 49, column: 7 }, { key: 'ArrowDown' }, shape)).toEqual({ row: 49, column: 7 });
    expect(nextPosition({ row: 49, column: 7 }, { key: 'ArrowRight' }, shape)).toEqual({ row: 49, column: 7 });
  });

  it('goes up from the first model into the region headers, then the geography labels, and no further', () => {
    expect(nextPosition({ row: 0, column: 2 }, { key: 'ArrowUp' }, shape)).toEqual({ row: REGION_ROW, column: 2 });
    expect(nextPosition({ row: REGION_ROW, column: 2 }, { key: 'ArrowUp' }, shape)).toEqual({ row: GROUP_ROW, column: 2 });
    expect(nextPosition({ row: GROUP_ROW, column: 2 }, { key: 'ArrowUp' }, shape)).toEqual({ row: GROUP_ROW, column: 2 });
  });

  it('goes left from the first region onto the model name, and no further', () => {
    expect(nextPosition({ row: 5, column: 0 }, { key: 'ArrowLeft' }, shape)).toEqual({ row: 5, column: NAME_COLUMN });
    expect(nextPosition({ row: 5, column: NAME_COLUMN }, { key: 'ArrowLeft' }, shape)).toEqual({ row: 5, column: NAME_COLUMN });
  });

  it('moves along the geography row one geography at a time', () => {
    expect(nextPosition({ row: GROUP_ROW, column: 1 }, { key: 'ArrowRight' }, shape)).toEqual({ row: GROUP_ROW, column: 3 });
    expect(nextPosition({ row: GROUP_ROW, column: 3 }, { key: 'ArrowRight' }, shape)).toEqual({ row: GROUP_ROW, column: 4 });
    expect(nextPosition({ row: GROUP_ROW, column: 6 }, { key: 'ArrowLeft' }, shape)).toEqual({ row: GROUP_ROW, column: 4 });
    expect(nextPosition({ row: GROUP_ROW, column: 4 }, { key: 'ArrowLeft' }, shape)).toEqual({ row: GROUP_ROW, column: 3 });
    expect(nextPosition({ row: GROUP_ROW, column: 3 }, { key: 'ArrowLeft' }, shape)).toEqual({ row: GROUP_ROW, column: 0 });
  });

  it('pages by whole screens and jumps with Home, End and Ctrl', () => {
    expect(nextPosition({ row: 45, column: 2 }, { key: 'PageDown' }, shape)).toEqual({ row: 49, column: 2 });
    expect(nextPosition({ row: REGION_ROW, column: 2 }, { key: 'PageDown' }, shape)).toEqual({ row: 10, column: 2 });
    expect(nextPosition({ row: 4, column: 2 }, { key: 'PageUp' }, shape)).toEqual({ row: 0, column: 2 });
    expect(nextPosition({ row: 4, column: 5 }, { key: 'Home' }, shape)).toEqual({ row: 4, column: 0 });
    expect(nextPosition({ row: 4, column: 5 }, { key: 'End' }, shape)).toEqual({ row: 4, column: 7 });
    expect(nextPosition({ row: 4, column: 5 }, { key: 'Home', ctrlKey: true }, shape)).toEqual({ row: 0, column: 0 });
    expect(nextPosition({ row: 4, column: 5 }, { key: 'End', metaKey: true }, shape)).toEqual({ row: 49, column: 7 });
  });

  it('ignores keys that do not navigate', () => {
    expect(nextPosition({ row: 4, column: 5 }, { key: 'a' }, shape)).toBeNull();
  });
});

describe('revealScroll', () => {
  const viewport = { scrollTop: 1000, scrollLeft: 200, width: 900, height: 600 };
  const header = 120;
  const names = 320;

  it('leaves a cell that is already visible alone', () => {
    expect(revealScroll(viewport, { top: 1200, left: 700, width: 28, height: 30 }, header, names)).toEqual({ top: 1000, left: 200 });
  });

  it('scrolls a cell hidden under the sticky header down to just below it', () => {
    // Visible rows start at 1000 + 120; this cell starts at 1100.
    expect(revealScroll(viewport, { top: 1100, left: 700, width: 28, height: 30 }, header, names).top).toBe(980);
  });

  it('scrolls a cell hidden under the sticky name column to just right of it', () => {
    // Visible columns start at 200 + 320 = 520; this cell starts at 500.
    expect(revealScroll(viewport, { top: 1200, left: 500, width: 28, height: 30 }, header, names).left).toBe(180);
  });

  it('scrolls a cell below or right of the view so that its far edge is just inside', () => {
    expect(revealScroll(viewport, { top: 1590, left: 700, width: 28, height: 30 }, header, names).top).toBe(1020);
    expect(revealScroll(viewport, { top: 1200, left: 1090, width: 28, height: 30 }, header, names).left).toBe(218);
  });

  it('never scrolls before the start', () => {
    expect(revealScroll({ ...viewport, scrollTop: 50, scrollLeft: 10 }, { top: 120, left: 320, width: 28, height: 30 }, header, names)).toEqual({ top: 0, left: 0 });
  });
});

describe('firstAtOrAfter', () => {
  it('finds the first item starting at or after an offset', () => {
    expect(firstAtOrAfter([0, 24, 54, 84], 30)).toBe(2);
    expect(firstAtOrAfter([0, 24, 54, 84], 0)).toBe(0);
    expect(firstAtOrAfter([0, 24, 54, 84], 500)).toBe(3);
  });
});
