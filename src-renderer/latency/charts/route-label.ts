/** A report key as an axis label: `us-east-1`, or `us-east-1 · global.…` for a compared profile route. */
export function routeLabel(key: string): string {
  const [region, invokeId] = key.split(' ');
  if (!invokeId) return region;
  const scope = invokeId.includes('.') ? invokeId.split('.')[0] : 'profile';
  return `${region} · ${scope} profile`;
}

export const barChartHeight = (rows: number) => Math.max(120, rows * 30 + 48);

export const formatMs = (value: number) => `${Math.round(value)} ms`;
