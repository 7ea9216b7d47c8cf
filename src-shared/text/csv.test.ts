import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv';

describe('CSV that a spreadsheet cannot run', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+cmd|calc', `"'+1+cmd|calc"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"' =1"`],
  ])('neutralises a cell that starts a formula: %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('strips control characters (ESC, NUL, C1) and turns line breaks into spaces', () => {
    expect(csvCell('a\u001b[31mb\u0000c\u0085d')).toBe('a[31mbcd');
    expect(csvCell('one\ntwo\r\nthree')).toBe('one two three');
    // A control character cannot hide a formula behind it.
    expect(csvCell('\u0007=1+1')).toBe(`"'=1+1"`);
  });

  it('quotes separators and quotes, and leaves plain values and numbers alone', () => {
    expect(csvRow(['anthropic.claude-3-haiku-20240307-v1:0', 'a,b', 'say "hi"', -5, null, true])).toBe(
      'anthropic.claude-3-haiku-20240307-v1:0,"a,b","say ""hi""",-5,,true',
    );
  });
});
