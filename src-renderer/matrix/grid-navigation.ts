/**
 * Where the active cell of the matrix goes for a key, and how far to scroll so that it is fully visible and not
 * covered by the sticky header or the sticky name column. Pure functions: the grid passes its sizes in.
 */

/** The row header column (model names). */
export const NAME_COLUMN = -1;
/** The geography labels row and the region headers row, above the models. */
export const GROUP_ROW = -2;
export const REGION_ROW = -1;

export interface GridPosition {
  /** GROUP_ROW, REGION_ROW, or an index into the model rows. */
  row: number;
  /** NAME_COLUMN, or an index into the columns. */
  column: number;
}

export interface GridShape {
  rows: number;
  columns: number;
  /** Model rows that fit in one screen, for PageUp/PageDown. */
  pageRows: number;
  /** Index of the first column of each column's geography group, for moving along the geography row. */
  groupStart: (column: number) => number;
  groupEnd: (column: number) => number;
}

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The next position for a navigation key, or null when the key does not move. */
export function nextPosition(from: GridPosition, press: KeyPress, shape: GridShape): GridPosition | null {
  const lastRow = shape.rows - 1;
  const lastColumn = shape.columns - 1;
  const row = (value: number) => clamp(value, GROUP_ROW, lastRow);
  const column = (value: number) => clamp(value, NAME_COLUMN, lastColumn);
  const control = press.ctrlKey || press.metaKey;
  switch (press.key) {
    case 'ArrowDown':
      return { ...from, row: row(from.row + 1) };
    case 'ArrowUp':
      return { ...from, row: row(from.row - 1) };
    case 'ArrowRight':
      if (from.row === GROUP_ROW && from.column >= 0) return { ...from, column: column(shape.groupEnd(from.column) + 1) };
      return { ...from, column: column(from.column + 1) };
    case 'ArrowLeft':
      if (from.row === GROUP_ROW && from.column > 0) {
        const start = shape.groupStart(from.column);
        return { ...from, column: start < from.column ? start : shape.groupStart(start - 1) };
      }
      return { ...from, column: column(from.column - 1) };
    case 'PageDown':
      return { ...from, row: clamp(Math.max(0, from.row) + shape.pageRows, 0, lastRow) };
    case 'PageUp':
      return { ...from, row: clamp(from.row - shape.pageRows, 0, lastRow) };
    case 'Home':
      return control ? { row: 0, column: 0 } : { ...from, column: 0 };
    case 'End':
      return control ? { row: lastRow, column: lastColumn } : { ...from, column: lastColumn };
    default:
      return null;
  }
}

export interface Viewport {
  scrollTop: number;
  scrollLeft: number;
  /** The scroller's client size (without scrollbars). */
  width: number;
  height: number;
}

export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

/**
 * The scroll offsets that show `box` (in content coordinates) whole, below `stickyTop` and right of `stickyLeft`,
 * moving as little as possible. A box that is itself sticky on an axis passes 0 for that axis's inset and is left alone.
 */
export function revealScroll(viewport: Viewport, box: Box, stickyTop: number, stickyLeft: number): { top: number; left: number } {
  const axis = (scroll: number, size: number, inset: number, start: number, length: number) => {
    if (start - inset < scroll) return Math.max(0, start - inset);
    if (start + length > scroll + size) return Math.min(start - inset, start + length - size);
    return scroll;
  };
  return {
    top: axis(viewport.scrollTop, viewport.height, stickyTop, box.top, box.height),
    left: axis(viewport.scrollLeft, viewport.width, stickyLeft, box.left, box.width),
  };
}

/** Index of the first item starting at or after `offset` (items laid out by `starts`), or the last item. */
export function firstAtOrAfter(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    // low <= middle < high <= starts.length - 1: the index is always there.
    if (starts[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  return Math.max(0, low);
}
