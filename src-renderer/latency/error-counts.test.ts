import { describe, expect, it } from 'vitest';
import { noErrors } from '../../src-shared/errors';
import { describeErrorCounts } from './error-counts';

describe('a route’s errors in the figures table (issue 21 §10)', () => {
  it('names only the classes that happened, in words, largest first', () => {
    expect(describeErrorCounts({ ...noErrors(), other: 1, throttled: 3, accessDenied: 2 })).toBe('3 throttled · 2 access denied · 1 other');
  });

  it('says 0 for none of the eleven classes, and – when the run counted none', () => {
    expect(describeErrorCounts(noErrors())).toBe('0');
    expect(describeErrorCounts(null)).toBe('–');
  });
});
