import { useQuery } from '@tanstack/react-query';
import { memo, useState } from 'react';
import { ALL_VANTAGES, LOCAL_VANTAGE } from '../../src-shared/contract/vantage';
import { useAtlas } from '../api/atlas-context';
import { TimeOfDaySection } from '../attribution/TimeOfDayHeatmap';
import { vantageInput, vantageLabel } from '../fleet/use-fleet';
import { VantageLines } from '../fleet/VantageLines';
import { LoadRunsList } from '../load/LoadRunsList';
import { HistoryChart, WindowPicker } from './charts/HistoryChart';
import { saveBlob } from './charts/chart-png';
import type { ChartTheme } from './charts/chart-theme';
import type { HistoryWindow } from './figures';

const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
  { format: 'parquet', label: 'Parquet' },
] as const;

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export interface HistorySectionProps {
  target: string;
  theme: ChartTheme;
  refreshKey: string | null;
  /** Whose samples: this machine (`local`), a team vantage, or `all` (one line per vantage); see fleet/use-fleet.ts. */
  vantage: string;
  /** Changes when a sync brings new team data. */
  teamStamp: string | null;
  /** Reopens a stored load run in the results. */
  onOpenLoadRun(runId: string): Promise<void>;
}

/**
 * The target's stored samples: the time series over a window, the raw samples as CSV, JSON or Parquet, the hours of
 * the week when it is slow, and the stored load runs to reopen.
 */
export const HistorySection = memo(function HistorySection({ target, theme, refreshKey, vantage, teamStamp, onOpenLoadRun }: HistorySectionProps) {
  const { api } = useAtlas();
  const [window, setWindow] = useState<HistoryWindow>('24h');
  const [exportState, setExportState] = useState<string | null>(null);
  const series = useQuery({
    queryKey: ['latencySeries', 'history', target, window, refreshKey, vantage, teamStamp],
    queryFn: () => api.latencySeries({ target, since: window, metric: 'ttftMs', ...vantageInput(vantage) }),
    enabled: target.trim() !== '',
  });
  const status = useQuery({ queryKey: ['historyStatus', refreshKey], queryFn: () => api.historyStatus() });

  const exportAs = async (format: 'csv' | 'json' | 'parquet') => {
    setExportState(`Exporting ${format.toUpperCase()}…`);
    try {
      const file = await api.exportLatency({ format, target, since: window });
      saveBlob(new Blob([bytesOf(file.base64)], { type: file.mimeType }), file.fileName);
      setExportState(`Saved ${file.fileName}.`);
    } catch (error) {
      setExportState(`Export failed: ${(error as Error).message}`);
    }
  };

  const points = series.data?.points ?? [];
  return (
    <section className="lat-history" aria-labelledby="lat-history-title" data-testid="history">
      <header className="lat-section-header">
        <h2 id="lat-history-title">History</h2>
        <span className="lat-export" role="group" aria-label="Export the samples">
          {vantage === LOCAL_VANTAGE ? 'Export samples:' : 'Export this machine’s samples:'}
          {FORMATS.map(({ format, label }) => (
            <button key={format} type="button" onClick={() => void exportAs(format)} disabled={!target.trim()}>
              {label}
            </button>
          ))}
        </span>
        <span className="muted" role="status">
          {exportState}
        </span>
      </header>
      {status.data && status.data.state === 'off' ? <p className="lat-warn-text">History is off: {status.data.warnings.join(' ') || 'the database could not be opened'}. Runs still work; their samples are not kept.</p> : null}
      {series.error ? (
        <p className="lat-error" role="alert">
          {(series.error as Error).message}
        </p>
      ) : null}
      {points.length > 0 ? (
        vantage === ALL_VANTAGES ? (
          <VantageLines points={points} window={window} onWindow={setWindow} theme={theme} />
        ) : (
          <HistoryChart points={points} window={window} onWindow={setWindow} theme={theme} from={vantage === LOCAL_VANTAGE ? null : vantageLabel(vantage)} />
        )
      ) : (
        <div className="lat-empty">
          <p>
            {series.isPending && target.trim()
              ? 'Loading the history…'
              : vantage === LOCAL_VANTAGE
                ? `No stored samples for this target in the last ${window}. Start a run: every sample is kept, so later runs draw a line over time.`
                : `No samples of this target from ${vantageLabel(vantage)} in the last ${window}. Team data shows what the monitors measured; a longer window may have some.`}
          </p>
          <WindowPicker window={window} onWindow={setWindow} />
        </div>
      )}
      {vantage === LOCAL_VANTAGE ? null : <p className="muted">The hours of the week and the load runs below are this machine’s own.</p>}
      <TimeOfDaySection target={target} refreshKey={refreshKey} />
      <LoadRunsList refreshKey={refreshKey} onOpen={onOpenLoadRun} />
    </section>
  );
});
