import { useId, useRef, useState, type ReactNode } from 'react';
import { chartPngBlob, saveBlob, type LegendEntry } from './chart-png';
import type { ChartTheme } from './chart-theme';
import './charts.css';

export interface ChartFrameProps {
  title: string;
  /** One sentence saying how to read the chart (also the chart's accessible description). */
  description: string;
  legend: LegendEntry[];
  theme: ChartTheme;
  fileName: string;
  testId: string;
  /** Controls beside the title (a window picker). */
  controls?: ReactNode;
  children: ReactNode;
}

/** A chart with its title, a reading hint, an HTML legend and a PNG export, named for assistive technology. */
export function ChartFrame({ title, description, legend, theme, fileName, testId, controls, children }: ChartFrameProps) {
  const id = useId();
  const body = useRef<HTMLDivElement>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const exportPng = async () => {
    setExportError(null);
    const svg = body.current?.querySelector<SVGSVGElement>('svg.recharts-surface');
    if (!svg) return setExportError('Nothing drawn yet to export.');
    try {
      saveBlob(await chartPngBlob(svg, title, legend, theme), `${fileName}.png`);
    } catch (error) {
      setExportError((error as Error).message);
    }
  };

  return (
    <figure className="lat-chart" aria-labelledby={`${id}-title`} aria-describedby={`${id}-description`} data-testid={testId}>
      <header className="lat-chart-header">
        <h3 id={`${id}-title`}>{title}</h3>
        {controls}
        <button type="button" className="lat-png" onClick={() => void exportPng()} aria-label={`Export ${title} as PNG`}>
          PNG
        </button>
      </header>
      <p id={`${id}-description`} className="lat-chart-description">
        {description}
      </p>
      {legend.length > 0 ? (
        <ul className="lat-legend" aria-label={`${title} legend`}>
          {legend.map((entry) => (
            <li key={entry.label}>
              <span className="lat-swatch" style={{ background: entry.color }} aria-hidden />
              {entry.label}
            </li>
          ))}
        </ul>
      ) : null}
      <div ref={body} className="lat-chart-body">
        {children}
      </div>
      {exportError ? (
        <p className="lat-error" role="alert">
          {exportError}
        </p>
      ) : null}
    </figure>
  );
}
