import { describe, expect, it } from 'vitest';
import { formatCompact, formatCount, formatPercent, formatUsd } from './format';

describe('formatCompact: a figure for a 28 px matrix cell', () => {
  it('writes thousands as k and millions as M, one decimal below ten of a unit', () => {
    expect([950, 1500, 12_345, 400_000, 2_000_000, 1_500_000, 100_000_000, 2_500_000_000].map(formatCompact)).toEqual(['950', '1.5k', '12k', '400k', '2M', '1.5M', '100M', '2.5B']);
  });

  it('never rounds into the next unit’s words', () => {
    expect(formatCompact(999_999)).toBe('1M');
    expect(formatCompact(999.6)).toBe('1k');
    expect(formatCompact(0)).toBe('0');
  });
});

describe('formatUsd: dollars, never $0 for an unknown price', () => {
  it('null (a price the list does not have) is "unknown"', () => {
    expect(formatUsd(null)).toBe('unknown');
  });

  it('cents from a dollar up, three significant digits below', () => {
    expect([1.25, 15, 1234.5, 0.25, 0.3, 0.035, 0.000123, 0.0001234].map(formatUsd)).toEqual(['$1.25', '$15.00', '$1,234.50', '$0.25', '$0.30', '$0.035', '$0.000123', '$0.000123']);
  });

  it('a real zero (nothing to pay) is $0', () => {
    expect(formatUsd(0)).toBe('$0');
  });
});

describe('formatCount and formatPercent', () => {
  it('every digit with thousands separators; headroom rounded, negative with a minus sign, unknown as a dash', () => {
    expect(formatCount(2_000_000)).toBe('2,000,000');
    expect([42.4, -35.2, null].map(formatPercent)).toEqual(['42 %', '−35 %', '–']);
  });
});
