import { useEffect, useRef, type RefObject } from 'react';
import type { CatalogSnapshot } from '../../src-shared/contract';
import type { RegionError } from '../../src-shared/catalog/document';
import type { DiscoveryFailure } from './discovery-failure';
import { describeShownInstead } from './discovery-failure';
import { isKeyBoundRegion, keyBoundCause } from '../../src-shared/api-key-regions';

interface Row {
  region: string;
  ok: boolean;
  /** Not callable with the short-term API key in force: not ok, and not failed either. */
  keyBound?: boolean;
  summary: string;
  detail: string;
}

function rowsOf(snapshot: CatalogSnapshot, failedScan: Record<string, RegionError>): Row[] {
  // A scan that failed everywhere left the document as it was: its old ✓ rows would contradict the failure.
  const failedEverywhere = Object.keys(failedScan).length > 0;
  const rows: Row[] = failedEverywhere
    ? Object.entries(failedScan).map(([region, error]) => ({ region, ok: false, summary: `✗ ${error.code}`, detail: error.message }))
    : Object.entries(snapshot.document.regions).map(([region, status]) =>
        status.status === 'ok'
          ? { region, ok: true, summary: `✓ ${status.modelCount ?? '?'} models, ${status.profileCount ?? '?'} profiles`, detail: `${status.durationMs ?? '–'} ms` }
          : isKeyBoundRegion(status.error)
            ? { region, ok: false, keyBound: true, summary: '– not callable with this key', detail: keyBoundCause(status.error?.message ?? '') }
            : { region, ok: false, summary: `✗ ${status.error?.code ?? 'failed'}`, detail: status.error?.message ?? '' },
      );
  return rows.sort((a, b) => Number(a.ok) - Number(b.ok) || a.region.localeCompare(b.region));
}

/**
 * Every region's answer, failed first, with the warnings collected while loading. Closes on Escape, on a click
 * outside it (except on the button that toggles it) and with its ✕; focus moves in on open and back on close.
 */
export function RegionsPopover({
  snapshot,
  failure,
  onClose,
  toggle,
}: {
  snapshot: CatalogSnapshot;
  failure: DiscoveryFailure | null;
  onClose: () => void;
  toggle: RefObject<HTMLElement | null>;
}) {
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = toggle.current;
    const node = dialog.current;
    node?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onClose();
      }
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (dialog.current?.contains(target) || toggle.current?.contains(target)) return;
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer);
      // Focus inside the closed popover falls to <body>: give it back to the button that opened it.
      const active = document.activeElement;
      if (opener && (active === document.body || node?.contains(active))) opener.focus();
    };
  }, [onClose, toggle]);

  const failedScan = failure?.regions ?? {};
  const rows = rowsOf(snapshot, failedScan);
  // 33 regions refusing the same credentials say one thing: say it once, above the rows. Regions a short-term API
  // key cannot call did not fail: their one cause is said apart, in those words.
  const failedDetails = rows.filter((row) => !row.ok && !row.keyBound).map((row) => row.detail);
  const sharedDetail = failedDetails.length > 1 && failedDetails.every((detail) => detail === failedDetails[0]) ? failedDetails[0] : null;
  const keyBoundRows = rows.filter((row) => row.keyBound);
  const keyBoundDetail = keyBoundRows[0]?.detail ?? null;
  return (
    <div className="region-popover" role="dialog" aria-label="Regions" ref={dialog} tabIndex={-1} data-testid="region-popover">
      <div className="popover-header">
        <strong>Regions</strong>
        <button type="button" className="link-button" onClick={onClose} aria-label="Close the regions list">
          ✕
        </button>
      </div>
      {failure ? (
        <p className="popover-failure" data-testid="popover-failure">
          {Object.keys(failedScan).length > 0 ? 'Live discovery failed in every region' : 'Live discovery failed'}: {failure.cause}. The matrix shows{' '}
          {describeShownInstead(snapshot)}
          {Object.keys(failedScan).length > 0 ? '.' : '; the rows below are from that data.'}
        </p>
      ) : null}
      {sharedDetail ? (
        <p className="muted" data-testid="shared-failure-detail">
          Every failed region answered: {sharedDetail}
        </p>
      ) : null}
      {keyBoundDetail ? (
        <p className="muted" data-testid="key-bound-detail">
          {keyBoundRows.length} region{keyBoundRows.length > 1 ? 's' : ''} not callable with this key: {keyBoundDetail}
        </p>
      ) : null}
      <table className="dense regions-status-table">
        <tbody>
          {rows.map((row) => (
            <tr key={row.region} className={row.ok ? undefined : row.keyBound ? 'key-bound' : 'failed'}>
              <td className="region-name">{row.region}</td>
              <td className="region-summary-cell">{row.summary}</td>
              <td className="muted">{row.ok || (row.keyBound ? row.detail !== keyBoundDetail : row.detail !== sharedDetail) ? row.detail : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {snapshot.meta.warnings.length > 0 ? (
        <section aria-label="Warnings" data-testid="warning-list">
          <h3 className="popover-subheading">
            {snapshot.meta.warnings.length} warning{snapshot.meta.warnings.length > 1 ? 's' : ''} while loading
          </h3>
          {snapshot.meta.warnings.map((warning) => (
            <p key={warning} className="warning">
              ⚠ {warning}
            </p>
          ))}
        </section>
      ) : null}
    </div>
  );
}
