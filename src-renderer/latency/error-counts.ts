import { ERROR_CLASS_LABELS, ERROR_CLASSES, type ErrorCounts } from '../../src-shared/errors';

/**
 * A route's errors in a table cell: only the classes that happened, in words, largest first ("3 throttled ·
 * 1 network"). Eleven classes listed in full would not fit a column; "0" when none, "–" when the run did not count.
 */
export function describeErrorCounts(errors: ErrorCounts | null): string {
  if (!errors) return '–';
  const happened = ERROR_CLASSES.filter((name) => (errors[name] ?? 0) > 0).sort((a, b) => errors[b] - errors[a]);
  return happened.length === 0 ? '0' : happened.map((name) => `${errors[name]} ${ERROR_CLASS_LABELS[name]}`).join(' · ');
}
