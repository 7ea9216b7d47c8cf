import { useRef, useState } from 'react';
import type { CatalogSnapshot } from '../../src-shared/contract';
import type { Reachability, RegionProgress } from '../../src-shared/events';
import { useAtlasEvent, useConnectionState } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { describeAge } from '../../src-shared/describe-age';
import { describeRegionSummary, describeScanDone, type DiscoveryFailure } from './discovery-failure';
import { IdentityBadge } from './IdentityBadge';
import { RegionsPopover } from './RegionsPopover';
import type { DiscoveryStatus, Refresh } from './use-discovery-status';
import './status.css';

/** Whether Bedrock answered the last time the app asked it; null when it has not asked in this session. */
function bedrockAnswered(snapshot: CatalogSnapshot | undefined, failure: DiscoveryFailure | null, scan: Refresh['scan']): boolean | null {
  if (failure) return false;
  if (scan.scanId && !scan.running && !scan.cancelled) return Object.values(scan.regions).some((region) => region.phase === 'done');
  return snapshot?.meta.source === 'api' ? true : null;
}

/** The regions a running scan still waits for, from the latest progress event (which names them). */
function waitingRegions(regions: Record<string, RegionProgress>): string[] {
  const events = Object.values(regions);
  if (events.length === 0) return [];
  const latest = events.reduce((best, event) => (event.completed > best.completed ? event : best));
  return latest.waiting ?? events.filter((event) => event.phase === 'started').map((event) => event.region);
}

const WAITING_SHOWN = 3;

export function StatusBar({ refresh, status }: { refresh: Refresh; status: DiscoveryStatus }) {
  const connection = useConnectionState();
  const regionButton = useRef<HTMLButtonElement>(null);
  const { scan } = refresh;
  const { catalog, appInfo, failure, regionsOpen, setRegionsOpen, closeRegions } = status;

  const snapshot = catalog.data;
  const regionSummary = snapshot ? describeRegionSummary(snapshot, failure) : null;
  const simulated = snapshot?.meta.simulated || appInfo.data?.simulated;
  const backEndLost = appInfo.isError || connection === 'lost';
  // Any call the app makes (a latency run, a prompt) tells whether AWS still answers, not only the last discovery.
  const [reachability, setReachability] = useState<Reachability | null>(null);
  useAtlasEvent('aws.reachability', setReachability);
  const unreachable = reachability && !reachability.answering ? reachability : null;
  const answered = unreachable ? false : bedrockAnswered(snapshot, failure, scan);
  const endpoint = appInfo.data?.endpointUrl ?? null;
  const warnings = snapshot?.meta.warnings ?? [];
  const waiting = scan.running ? waitingRegions(scan.regions) : [];

  return (
    <footer className="status-bar" aria-label="Status">
      {backEndLost ? (
        <span className="back-end-lost" role="status" data-testid="back-end-lost" title="The window lost its connection to the Bedrock Atlas process that serves it; it reconnects by itself.">
          ○ app back end unreachable, reconnecting…
        </span>
      ) : null}
      {snapshot ? (
        <>
          <span className={`source source-${snapshot.meta.source}`} data-testid="data-source">
            {snapshot.meta.source}
            {simulated ? <span className="simulated"> · simulated</span> : null}
          </span>
          <span className="age" data-testid="data-age" title={snapshot.document.generatedAt}>
            {snapshot.meta.source === 'bundled' ? `bundled data from ${snapshot.document.generatedAt.slice(0, 10)}` : `fetched ${describeAge(snapshot.meta.ageMs)}`}
          </span>
          <button
            type="button"
            ref={regionButton}
            className={`link-button region-summary${regionSummary?.failed ? ' has-failures' : ''}`}
            onClick={() => setRegionsOpen(!regionsOpen)}
            aria-expanded={regionsOpen}
            aria-haspopup="dialog"
            title={snapshot.meta.source === 'bundled' ? 'The regions as recorded in the bundled data' : "Each region's answer"}
            data-testid="region-summary"
          >
            {regionSummary?.text}
          </button>
          {warnings.length > 0 ? (
            <button
              type="button"
              className="link-button warning-count"
              onClick={() => setRegionsOpen(true)}
              title={`Warnings while loading the catalog:\n${warnings.join('\n')}`}
              data-testid="warnings"
            >
              ⚠ {warnings.length} warning{warnings.length > 1 ? 's' : ''}
            </button>
          ) : null}
        </>
      ) : catalog.isLoading ? (
        <span>Loading catalog…</span>
      ) : null}
      {answered !== null ? (
        <span
          className={`bedrock-state ${answered ? 'ok' : 'failing'}`}
          data-testid="bedrock-state"
          title={
            unreachable
              ? `Bedrock did not answer the app's last call: ${unreachable.cause ?? 'the connection failed'}`
              : answered
                ? 'Bedrock answered the last discovery'
                : `Bedrock did not answer the last discovery: ${failure?.cause ?? 'every region failed'}`
          }
        >
          {answered ? '● Bedrock answering' : '○ Bedrock not answering'}
        </span>
      ) : null}
      {appInfo.data ? <IdentityBadge awsProfile={appInfo.data.awsProfile} /> : null}
      {endpoint ? (
        <span className="endpoint" title="Every Bedrock call goes to this endpoint instead of AWS">
          via {endpoint}
        </span>
      ) : null}
      <span className="spacer" />
      {scan.running ? (
        <span className="scan-progress" role="status" aria-live="polite" data-testid="scan-progress">
          <progress max={scan.total || 1} value={scan.completed} aria-label="Regions answered" />
          {scan.completed}/{scan.total} regions
          {waiting.length > 0 ? (
            <span className="scan-waiting" data-testid="scan-waiting" title={`Still waiting for ${waiting.join(', ')}`}>
              waiting for {waiting.slice(0, WAITING_SHOWN).join(', ')}
              {waiting.length > WAITING_SHOWN ? ` +${waiting.length - WAITING_SHOWN}` : ''}
            </span>
          ) : null}
          <button type="button" onClick={() => refresh.cancel.mutate()}>
            Cancel
          </button>
        </span>
      ) : scan.scanId ? (
        <span className="scan-done" data-testid="scan-done">
          {scan.cancelled
            ? 'Refresh cancelled'
            : describeScanDone(Object.values(scan.regions))}
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
      {regionsOpen && snapshot ? <RegionsPopover snapshot={snapshot} failure={failure} onClose={closeRegions} toggle={regionButton} /> : null}
      {scan.running && Object.keys(scan.regions).length > 0 ? (
        <div className="scan-chips" aria-label="Per-region progress">
          {Object.values(scan.regions).map((region) => (
            <span key={region.region} className={`chip chip-${region.phase}`} title={region.error?.message ?? (region.phase === 'started' ? 'waiting' : '')}>
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
