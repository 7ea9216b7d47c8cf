import { useState } from 'react';
import { useAppInfo, useCatalog, type useRefresh } from '../catalog/use-catalog';
import { useConnectionState } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { describeAge } from '../../src-shared/describe-age';

export function StatusBar({ refresh }: { refresh: ReturnType<typeof useRefresh> }) {
  const catalog = useCatalog();
  const appInfo = useAppInfo();
  const connection = useConnectionState();
  const [showRegions, setShowRegions] = useState(false);
  const { scan } = refresh;

  const snapshot = catalog.data;
  const regions = snapshot ? Object.entries(snapshot.document.regions) : [];
  const failed = regions.filter(([, status]) => status.status === 'error');
  const simulated = snapshot?.meta.simulated || appInfo.data?.simulated;
  const reachable = !appInfo.isError && connection !== 'lost';

  return (
    <footer className="status-bar" aria-label="Status">
      <span className={`connection ${reachable ? 'ok' : 'lost'}`} title={reachable ? 'Connected to the main process' : 'Connection lost'}>
        {reachable ? '● connected' : '○ disconnected'}
      </span>
      {snapshot ? (
        <>
          <span className={`source source-${snapshot.meta.source}`} data-testid="data-source">
            {snapshot.meta.source}
            {simulated ? <span className="simulated"> · simulated</span> : null}
          </span>
          <span className="age" data-testid="data-age" title={snapshot.document.generatedAt}>
            {snapshot.meta.source === 'bundled'
              ? `bundled data from ${snapshot.document.generatedAt.slice(0, 10)}`
              : `fetched ${describeAge(snapshot.meta.ageMs)}`}
          </span>
          <button
            type="button"
            className="link-button"
            onClick={() => setShowRegions((open) => !open)}
            aria-expanded={showRegions}
            data-testid="region-summary"
          >
            {regions.length - failed.length} regions ok{failed.length > 0 ? ` · ${failed.length} failed` : ''}
          </button>
          {snapshot.meta.warnings.length > 0 ? (
            <span className="warning-count" title={snapshot.meta.warnings.join('\n')}>
              ⚠ {snapshot.meta.warnings.length}
            </span>
          ) : null}
        </>
      ) : catalog.isLoading ? (
        <span>Loading catalog…</span>
      ) : null}
      {appInfo.data?.endpointUrl ? <span className="endpoint" title="Bedrock endpoint override">→ {appInfo.data.endpointUrl}</span> : null}
      <span className="spacer" />
      {scan.running ? (
        <span className="scan-progress" role="status" aria-live="polite" data-testid="scan-progress">
          <progress max={scan.total || 1} value={scan.completed} />
          {scan.completed}/{scan.total} regions
          <button type="button" onClick={() => refresh.cancel.mutate()}>
            Cancel
          </button>
        </span>
      ) : scan.scanId ? (
        <span className="scan-done" data-testid="scan-done">
          {scan.cancelled ? 'Refresh cancelled' : `Last refresh: ${Object.values(scan.regions).filter((region) => region.phase === 'done').length} ok, ${Object.values(scan.regions).filter((region) => region.phase === 'failed').length} failed`}
        </span>
      ) : null}
      <button
        type="button"
        className="primary"
        onClick={() => refresh.refresh.mutate()}
        disabled={scan.running || refresh.refresh.isPending}
        title="Scan every region again (Alt+R)"
      >
        ↻ Refresh
      </button>
      {showRegions && snapshot ? (
        <div className="region-popover" role="dialog" aria-label="Regions">
          <div className="popover-header">
            <strong>Regions</strong>
            <button type="button" className="link-button" onClick={() => setShowRegions(false)} aria-label="Close">
              ✕
            </button>
          </div>
          <table className="dense">
            <tbody>
              {regions
                .sort(([a, sa], [b, sb]) => Number(sb.status === 'error') - Number(sa.status === 'error') || a.localeCompare(b))
                .map(([region, status]) => (
                  <tr key={region} className={status.status === 'error' ? 'failed' : undefined}>
                    <td>{region}</td>
                    <td>{status.status === 'ok' ? `✓ ${status.modelCount} models, ${status.profileCount} profiles` : `✗ ${status.error?.code}`}</td>
                    <td className="muted">{status.status === 'ok' ? `${status.durationMs ?? '–'} ms` : status.error?.message}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          {snapshot.meta.warnings.map((warning) => (
            <p key={warning} className="warning">
              ⚠ {warning}
            </p>
          ))}
        </div>
      ) : null}
      {scan.running && Object.keys(scan.regions).length > 0 ? (
        <div className="scan-chips" aria-label="Per-region progress">
          {Object.values(scan.regions).map((region) => (
            <span key={region.region} className={`chip chip-${region.phase}`} title={region.error?.message ?? ''}>
              {region.region}
            </span>
          ))}
        </div>
      ) : null}
      {refresh.refresh.isError ? (
        <div className="toast">
          <ErrorNotice error={refresh.refresh.error} />
          <button type="button" onClick={() => refresh.refresh.reset()}>
            Dismiss
          </button>
        </div>
      ) : null}
    </footer>
  );
}
