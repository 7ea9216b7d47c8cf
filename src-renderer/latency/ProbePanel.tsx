import { memo, useMemo, useState, useSyncExternalStore } from 'react';
import { useAtlas } from '../api/atlas-context';
import { useLiveWork } from '../app/live-work';
import { NetworkChart } from './charts/NetworkChart';
import type { ChartTheme } from './charts/chart-theme';
import { networkRows } from './figures';

/** "Probe network": DNS, TCP, TLS and first byte per region, cold vs warm, arriving region by region. */
export const ProbePanel = memo(function ProbePanel({ regions, theme }: { regions: string[]; theme: ChartTheme }) {
  const { streams } = useAtlas();
  const probe = useLiveWork().latency.probe;
  const snapshot = useSyncExternalStore(probe.subscribe, probe.getSnapshot);
  const [samples, setSamples] = useState(5);
  const { rows, failures } = useMemo(() => networkRows(Object.values(snapshot.view)), [snapshot.view]);
  const running = snapshot.status === 'running';
  const start = () => void probe.start((onChunk) => streams.probeNetwork({ regions, samples }, onChunk));

  return (
    <section className="lat-probe" aria-labelledby="lat-probe-title" data-testid="probe">
      <header className="lat-section-header">
        <h2 id="lat-probe-title">Network probe</h2>
        <label className="lat-field lat-inline">
          <span>Samples</span>
          <input type="number" min={1} max={100} value={samples} onChange={(event) => setSamples(event.target.valueAsNumber)} disabled={running} />
        </label>
        {running ? (
          <button type="button" onClick={() => probe.cancel()}>
            Cancel probe
          </button>
        ) : (
          <button type="button" onClick={start} disabled={regions.length === 0 || !(samples >= 1 && samples <= 100)}>
            Probe network
          </button>
        )}
        <span className="muted">
          {regions.length === 0 ? 'Choose regions above to probe them.' : `${regions.length} region${regions.length === 1 ? '' : 's'}, all at once`}
          {running ? ` · ${Object.keys(snapshot.view).length} answered` : ''}
        </span>
      </header>
      {snapshot.status === 'idle' ? <p className="lat-empty">Not probed yet. Probe network times DNS, TCP, TLS and the first byte to each region’s endpoint, on a new connection and on a pooled one.</p> : null}
      {snapshot.error && snapshot.status === 'failed' ? (
        <p className="lat-error" role="alert">
          The probe failed: {snapshot.error.message}
        </p>
      ) : null}
      {snapshot.status === 'cancelled' ? <p className="lat-warn-text">Probe cancelled: the regions that answered are shown.</p> : null}
      {failures.length > 0 ? (
        <ul className="lat-failures" aria-label="Regions the probe could not reach">
          {failures.map((failure) => (
            <li key={failure.region}>
              <strong>{failure.region}</strong> <code>{failure.code}</code>: {failure.message}
            </li>
          ))}
        </ul>
      ) : null}
      {rows.length > 0 ? <NetworkChart rows={rows} theme={theme} /> : null}
    </section>
  );
});
