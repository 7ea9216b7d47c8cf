import type { HeatBand } from './heatmap-scale';

/**
 * The legend of a p50 TTFT heatmap: its bands from faster to slower, and the swatch of a cell with no samples. Each
 * heatmap keeps its own class names (`<prefix>-legend`, `<prefix>-swatch`), so their layouts stay their own.
 */
export function HeatLegend({ bands, classPrefix, emptySwatchClass, testId }: { bands: HeatBand[]; classPrefix: string; emptySwatchClass: string; testId: string }) {
  return (
    <ul className={`${classPrefix}-legend`} aria-label="p50 TTFT scale" data-testid={testId}>
      <li className="muted">faster</li>
      {bands.map((band) => (
        <li key={band.from}>
          <span className={`${classPrefix}-swatch`} style={{ background: band.color }} aria-hidden />
          {band.label}
        </li>
      ))}
      <li className="muted">slower</li>
      <li>
        <span className={`${classPrefix}-swatch ${emptySwatchClass}`} aria-hidden />
        no samples
      </li>
    </ul>
  );
}
