import { useId, useMemo, useState } from 'react';
import type { SeriesPoint } from '../../src-shared/contract/latency';
import { LOCAL_VANTAGE } from '../../src-shared/contract/vantage';
import { HistoryChart } from '../latency/charts/HistoryChart';
import type { ChartTheme } from '../latency/charts/chart-theme';
import type { HistoryWindow } from '../latency/figures';
import { vantageLabel } from './use-fleet';

const vantageOf = (point: SeriesPoint) => point.vantage ?? LOCAL_VANTAGE;

/** The regions the points reach, the most sampled first. */
export function regionsBySamples(points: readonly SeriesPoint[]): { region: string; samples: number }[] {
  const counts = new Map<string, number>();
  for (const point of points) counts.set(point.region, (counts.get(point.region) ?? 0) + 1);
  return [...counts].map(([region, samples]) => ({ region, samples })).sort((a, b) => b.samples - a.samples || a.region.localeCompare(b.region));
}

/**
 * The history from every vantage: one line per vantage to one region at a time (lines to different regions from
 * different places would not compare), the most sampled region first, the others a choice away.
 */
export function VantageLines({ points, window, onWindow, theme }: { points: SeriesPoint[]; window: HistoryWindow; onWindow(window: HistoryWindow): void; theme: ChartTheme }) {
  const id = useId();
  const regions = useMemo(() => regionsBySamples(points), [points]);
  const [picked, setPicked] = useState<string | null>(null);
  const region = regions.find((candidate) => candidate.region === picked)?.region ?? regions[0]?.region ?? '';
  const shown = useMemo(() => points.filter((point) => point.region === region), [points, region]);
  return (
    <div data-testid="vantage-lines">
      <span className="lat-field lat-inline fleet-vantage-select">
        <label htmlFor={id}>To region</label>
        <select id={id} value={region} onChange={(event) => setPicked(event.target.value)}>
          {regions.map((candidate) => (
            <option key={candidate.region} value={candidate.region}>
              {candidate.region} · {candidate.samples} samples
            </option>
          ))}
        </select>
      </span>
      <HistoryChart points={shown} window={window} onWindow={onWindow} theme={theme} keyOf={vantageOf} lineLabel={vantageLabel} lines={`per vantage to ${region}`} />
    </div>
  );
}
