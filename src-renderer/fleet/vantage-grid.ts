import type { TtftByVantage, VantageRegionTtft } from '../../src-shared/contract/fleet';

/** The answer as rows (vantages, in the core's order) by columns (regions), each cell the figures or null. */
export function vantageGrid(answer: Pick<TtftByVantage, 'vantages' | 'regions' | 'cells'>): (VantageRegionTtft | null)[][] {
  const byKey = new Map(answer.cells.map((cell) => [`${cell.vantage}\u0000${cell.region}`, cell]));
  return answer.vantages.map((vantage) => answer.regions.map((region) => byKey.get(`${vantage}\u0000${region}`) ?? null));
}

/** Where a key moves the active cell in a rows × columns grid, or null for another key. */
export function moveInGrid(at: { row: number; column: number }, key: string, size: { rows: number; columns: number }, ctrl = false): { row: number; column: number } | null {
  const clamp = (value: number, most: number) => Math.max(0, Math.min(most, value));
  const [lastRow, lastColumn] = [size.rows - 1, size.columns - 1];
  switch (key) {
    case 'ArrowRight':
      return { ...at, column: clamp(at.column + 1, lastColumn) };
    case 'ArrowLeft':
      return { ...at, column: clamp(at.column - 1, lastColumn) };
    case 'ArrowDown':
      return { ...at, row: clamp(at.row + 1, lastRow) };
    case 'ArrowUp':
      return { ...at, row: clamp(at.row - 1, lastRow) };
    case 'Home':
      return ctrl ? { row: 0, column: 0 } : { ...at, column: 0 };
    case 'End':
      return ctrl ? { row: lastRow, column: lastColumn } : { ...at, column: lastColumn };
    default:
      return null;
  }
}

/** "p50 412 ms · p90 530 ms · p99 611 ms · 120 samples". */
export function describeFigures(cell: VantageRegionTtft): string {
  return `p50 ${Math.round(cell.p50Ms)} ms · p90 ${Math.round(cell.p90Ms)} ms · p99 ${Math.round(cell.p99Ms)} ms · ${cell.samples} sample${cell.samples === 1 ? '' : 's'}`;
}

/**
 * The spread the view exists to show: for each region measured from two or more vantages, the fastest and the
 * slowest vantage's p50. Regions with the widest spread first.
 */
export function vantageSpread(cells: readonly VantageRegionTtft[]): { region: string; fastest: VantageRegionTtft; slowest: VantageRegionTtft }[] {
  const byRegion = new Map<string, VantageRegionTtft[]>();
  for (const cell of cells) byRegion.set(cell.region, [...(byRegion.get(cell.region) ?? []), cell]);
  return [...byRegion]
    .filter(([, measured]) => measured.length > 1)
    .map(([region, measured]) => {
      const sorted = [...measured].sort((a, b) => a.p50Ms - b.p50Ms);
      return { region, fastest: sorted[0]!, slowest: sorted[sorted.length - 1]! };
    })
    .sort((a, b) => b.slowest.p50Ms - b.fastest.p50Ms - (a.slowest.p50Ms - a.fastest.p50Ms));
}
