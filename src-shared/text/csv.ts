/**
 * CSV that a spreadsheet cannot run. OWASP's advice for CSV injection: a cell that starts with `=`, `+`, `-`, `@`,
 * a tab or a carriage return is read as a formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)`), so it
 * gets a leading `'`, which makes it text, and is quoted; a cell holding a separator or a quote is quoted; line
 * breaks become spaces and control characters (ESC and the rest of C0 and C1, other than tab) are removed first.
 */

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
/** A formula start, also behind leading spaces (some spreadsheets trim them) or where a line break was. */
const FORMULA_START = /^(\s*[=+\-@]|\t)/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  // A line break becomes a space: a raw one starts a new record in careless readers and hides what follows.
  let text = value.replace(/\r\n?|\n/g, ' ').replace(CONTROL_CHARACTERS, '');
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",;\t']/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}
