/** A report key as an axis label: `us-east-1`, or `us-east-1 · global.…` for a compared profile route. */
export function routeLabel(key: string): string {
  const [region = key, invokeId] = key.split(' ');
  if (!invokeId) return region;
  const scope = invokeId.includes('.') ? invokeId.split('.')[0] : 'profile';
  return `${region} · ${scope} profile`;
}

export const barChartHeight = (rows: number) => Math.max(120, rows * 30 + 48);

export const formatMs = (value: number) => `${Math.round(value)} ms`;

/** The next round number at or above a value (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten): an axis end worth reading. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((step) => step * power >= value) ?? 10) * power;
}

/**
 * Axis ticks from 0 at one round step (1, 2, 2.5 or 5 times a power of ten), to the first tick at or above the
 * largest value, at most `most` intervals: 0, 500, 1000, 1500, never 0, 375, 750, 1125, 1500.
 */
export function niceTicks(max: number, most = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const power = 10 ** Math.floor(Math.log10(max / most));
  const step = [1, 2, 2.5, 5, 10, 20].map((factor) => factor * power).find((candidate) => Math.ceil(max / candidate) <= most) ?? 20 * power;
  const intervals = Math.max(1, Math.ceil(max / step - 1e-9));
  return Array.from({ length: intervals + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}
