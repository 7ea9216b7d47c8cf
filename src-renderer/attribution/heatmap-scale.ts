import type { TimeOfDayCell } from '../../src-shared/contract/attribution';

/**
 * The time-of-day heatmap's sequential scale and grid: seven blues from light (fast) to dark (slow), lightness
 * carrying the order so it reads under every colour-vision deficiency, each with the ink its figure is written in.
 * The bands are round steps over the route's own range: the question is when this route is slow, not how it
 * compares with another.
 */

export const HEAT_COLORS = [
  { color: '#eff3ff', ink: '#08306b' },
  { color: '#c6dbef', ink: '#08306b' },
  { color: '#9ecae1', ink: '#08306b' },
  { color: '#6baed6', ink: '#08306b' },
  { color: '#4292c6', ink: '#ffffff' },
  { color: '#2171b5', ink: '#ffffff' },
  { color: '#084594', ink: '#ffffff' },
] as const;

export interface HeatBand {
  from: number;
  to: number;
  color: string;
  ink: string;
  label: string;
}

/** The smallest round step (1, 2, 2.5 or 5 × a power of ten) whose bands, from a multiple of it, cover low to high in at most `count`. */
function bandStep(low: number, high: number, count: number): number {
  const span = high - low || Math.max(1, high * 0.1);
  const power = 10 ** Math.floor(Math.log10(span / count));
  for (const factor of [1, 2, 2.5, 5, 10, 20, 25, 50]) {
    const step = factor * power;
    if (Math.floor((high - Math.floor(low / step) * step) / step) + 1 <= count) return step;
  }
  return 100 * power;
}

/** Round bands from just below the fastest cell to just above the slowest, at most seven. */
export function heatBands(values: number[]): HeatBand[] {
  if (values.length === 0) return [];
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const step = bandStep(low, high, HEAT_COLORS.length);
  const start = Math.floor(low / step) * step;
  const count = Math.floor((high - start) / step) + 1;
  // Few bands spread over the whole ramp, so two bands are never two neighbouring, barely different blues.
  return Array.from({ length: count }, (_, index) => {
    const shade = HEAT_COLORS[count === 1 ? 3 : Math.round((index * (HEAT_COLORS.length - 1)) / (count - 1))]!;
    const [from, to] = [start + index * step, start + (index + 1) * step];
    return { from, to, ...shade, label: `${Math.round(from)}–${Math.round(to)} ms` };
  });
}

export function bandOf(bands: HeatBand[], value: number): HeatBand | undefined {
  return bands.find((band) => value < band.to) ?? bands.at(-1);
}

/** ISO weekdays, Monday first, named in the user's language. */
export function weekdayNames(locale?: string): { weekday: number; short: string; long: string }[] {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, index) => {
    const date = new Date(Date.UTC(2024, 0, 1 + index, 12));
    return {
      weekday: index + 1,
      short: date.toLocaleDateString(locale, { weekday: 'short', timeZone: 'UTC' }),
      long: date.toLocaleDateString(locale, { weekday: 'long', timeZone: 'UTC' }),
    };
  });
}

/** A 7 × 24 grid, Monday first, each hour the route's cell or null where it has no sample. */
export function heatGrid(cells: TimeOfDayCell[]): (TimeOfDayCell | null)[][] {
  const grid: (TimeOfDayCell | null)[][] = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => null));
  for (const cell of cells) {
    const row = grid[cell.weekday - 1];
    if (row && cell.hour >= 0 && cell.hour < 24) row[cell.hour] = cell;
  }
  return grid;
}

/** Where a key moves the active cell (row = weekday index, column = hour), or null for another key. */
export function moveCell(at: { row: number; column: number }, key: string, ctrl = false): { row: number; column: number } | null {
  const clamp = (value: number, most: number) => Math.max(0, Math.min(most, value));
  switch (key) {
    case 'ArrowRight':
      return { ...at, column: clamp(at.column + 1, 23) };
    case 'ArrowLeft':
      return { ...at, column: clamp(at.column - 1, 23) };
    case 'ArrowDown':
      return { ...at, row: clamp(at.row + 1, 6) };
    case 'ArrowUp':
      return { ...at, row: clamp(at.row - 1, 6) };
    case 'Home':
      return ctrl ? { row: 0, column: 0 } : { ...at, column: 0 };
    case 'End':
      return ctrl ? { row: 6, column: 23 } : { ...at, column: 23 };
    case 'PageUp':
      return { ...at, row: 0 };
    case 'PageDown':
      return { ...at, row: 6 };
    default:
      return null;
  }
}

/** "14:00–15:00". */
export const hourSpan = (hour: number) => `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`;
