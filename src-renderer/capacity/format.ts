/** How quotas, token counts and dollars are written, the same in the matrix, the cell panel and the Capacity page. */

const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 2,000,000: every digit, for tables where the exact quota matters. */
export function formatCount(value: number): string {
  return WHOLE.format(value);
}

const COMPACT_STEPS = [
  { size: 1e9, suffix: 'B' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'k' },
] as const;

/**
 * 2M, 400k, 1.5M, 950: a figure short enough for a 28 px matrix cell. One decimal below ten of a unit, none above,
 * and never a rounding that would cross into the next unit's words (999,999 is "1M", not "1000k").
 */
export function formatCompact(value: number): string {
  const magnitude = Math.abs(value);
  for (const [index, step] of COMPACT_STEPS.entries()) {
    if (magnitude < step.size) continue;
    const scaled = value / step.size;
    const digits = Math.abs(scaled) < 10 ? 1 : 0;
    const text = Number(scaled.toFixed(digits));
    const larger = COMPACT_STEPS[index - 1];
    if (larger && Math.abs(text * step.size) >= larger.size) return formatCompact(Math.sign(value) * larger.size);
    return `${text}${step.suffix}`;
  }
  const rounded = Math.round(value);
  return rounded >= 1000 ? '1k' : String(rounded);
}

/**
 * Dollars: $1.25 and up with cents; below a dollar three significant digits (a token's price or one answer's
 * cost is a fraction of a cent: $0.035, $0.000123); null is "unknown", never $0.
 */
export function formatUsd(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'unknown';
  if (value === 0) return '$0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1) return `${value < 0 ? '−' : ''}$${magnitude.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(12, Math.max(2, 2 - Math.floor(Math.log10(magnitude))));
  const fixed = magnitude.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1');
  return `${value < 0 ? '−' : ''}$${fixed}`;
}

/** 42 %, −35 %: headroom, null when the quota or the usage is not known. */
export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  return `${value < 0 ? '−' : ''}${Math.abs(Math.round(value))} %`;
}
