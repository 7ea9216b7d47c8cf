import { describe, expect, it } from 'vitest';
import { formatTable } from './table';

/** CLI tables: ids whole, columns aligned, cells never run together, rows wrapped when the terminal is narrow. */

const HEADER = ['ROUTE', 'INVOKE', 'SAMPLES', 'ERRORS', 'CONN'];
const ROWS = [
  ['us-east-1', 'us.anthropic.claude-3-haiku-20240307-v1:0', '50', 'other 44', '42'],
  ['eu-west-1', 'anthropic.claude-3-haiku-20240307-v1:0', '50', '0', '1'],
];

describe('formatTable', () => {
  it('aligns every column to its widest cell with two spaces between, so "other 44" and "42" never touch', () => {
    const lines = formatTable(HEADER, ROWS, 200);
    expect(lines).toHaveLength(3);
    expect(new Set([lines[0]!.indexOf('CONN'), lines[1]!.indexOf('42'), lines[2]!.lastIndexOf('1')]).size).toBe(1);
    expect(lines[1]).toMatch(/other 44 {2,}42$/);
    expect(lines[0]!.startsWith('ROUTE')).toBe(true);
  });

  it('keeps ids whole on a narrow terminal: the first column on its own line, the rest aligned below it', () => {
    const lines = formatTable(HEADER, ROWS, 60);
    for (const [route, invoke] of ROWS) {
      expect(lines).toContain(route);
      expect(lines.some((line) => line.includes(invoke!))).toBe(true);
    }
    // The other cells stay aligned under one another on the continuation lines.
    const continuation = lines.filter((line) => line.startsWith('    '));
    expect(new Set(continuation.map((line) => line.search(/\S+\s*$/))).size).toBe(1);
  });
});
