/**
 * Tables for the terminal: every column as wide as its widest cell, two spaces between columns, so cells never run
 * together and ids are never cut. A table wider than the terminal wraps each row instead: the first column (the
 * id or route) on its own line, the other columns aligned on the next, indented.
 */

/** The terminal's width; a pipe has none, so COLUMNS or a wide default decides. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const fromEnv = Number(process.env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 160;
}

const GAP = '  ';
const INDENT = '    ';

export function formatTable(header: string[], rows: string[][], width = terminalWidth()): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[], from = 0) =>
    cells
      .slice(from)
      .map((cell, index) => (from + index === cells.length - 1 ? cell : cell.padEnd(widths[from + index]!)))
      .join(GAP)
      .trimEnd();
  const fullWidth = widths.reduce((sum, columnWidth) => sum + columnWidth, 0) + GAP.length * (widths.length - 1);
  if (fullWidth <= width) return all.map((row) => line(row));
  return all.flatMap((row) => [row[0] ?? '', `${INDENT}${line(row, 1)}`]);
}
