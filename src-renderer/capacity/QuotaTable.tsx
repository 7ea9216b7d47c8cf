import { QUOTA_UNITS, quotaIncreaseUrl, type QuotaUnit, type QuotaValue, type RegionQuotas, type RouteQuotas } from '../../src-shared/catalog/quotas';
import { visibleText } from '../../src-shared/text/visible-text';
import { RegionText } from '../matrix/panel-parts';
import { formatCount } from './format';
import './quotas.css';

/** One route's Service Quotas, as the cell panel and the Capacity page show them. */

const UNIT_LABEL: Record<QuotaUnit, string> = { requestsPerMinute: 'Requests/min', tokensPerMinute: 'Tokens/min', tokensPerDay: 'Tokens/day' };

export const NO_QUOTA_FOUND = 'no quota found';

/** The value in force: the account's applied value, or AWS's default when Service Quotas gave only that. */
export function quotaInForce(quota: QuotaValue | undefined): number | null {
  return quota ? (quota.applied ?? quota.default) : null;
}

/**
 * The console page that asks for more, for an adjustable quota. A plain link: the desktop shell opens an AWS
 * console address in the system browser (it never opens a window of its own), the browser host in a new tab.
 */
export function IncreaseLink({ region, quota }: { region: string; quota: QuotaValue }) {
  if (!quota.adjustable) return <span className="muted">not adjustable</span>;
  const url = quotaIncreaseUrl(region, quota.quotaCode);
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" title={url} data-testid="increase-link">
      Request increase ↗
    </a>
  );
}

function AppliedValue({ quota }: { quota: QuotaValue }) {
  if (quota.applied === null) {
    return (
      <span className="muted" title="Service Quotas gave AWS's default only: the default applies">
        default applies
      </span>
    );
  }
  const changed = quota.default !== null && quota.applied !== quota.default;
  return (
    <span className={changed ? 'quota-changed' : undefined} title={changed ? `Applied to this account; AWS's default is ${formatCount(quota.default!)}` : undefined}>
      {formatCount(quota.applied)}
      {quota.applied === 0 ? <span className="quota-zero"> (no calls allowed)</span> : null}
    </span>
  );
}

/**
 * Every unit of one route: applied and default values, adjustable or not, the quota code and the link to ask for
 * more. `compact` (the cell panel's 350 px): the default beside the applied value only when it differs, and
 * "adjustable" said by the link itself ("Request increase" or "not adjustable").
 */
export function QuotaTable({ route, region, compact = false }: { route: RouteQuotas; region: string; compact?: boolean }) {
  const notes = QUOTA_UNITS.flatMap((unit) => {
    const note = route[unit]?.note;
    return note ? [note] : [];
  });
  return (
    <>
      <table className={`dense quota-table${compact ? ' quota-table-compact' : ''}`} data-testid="quota-table" aria-label={`Quotas of ${route.invokeId}${route.variant ? ` (${route.variant})` : ''} in ${region}`}>
        <thead>
          <tr>
            <th scope="col">Quota</th>
            <th scope="col">Applied</th>
            {compact ? null : (
              <>
                <th scope="col">Default</th>
                <th scope="col">Adjustable</th>
              </>
            )}
            <th scope="col">Code</th>
          </tr>
        </thead>
        <tbody>
          {QUOTA_UNITS.map((unit) => {
            const quota = route[unit];
            return (
              <tr key={unit} data-unit={unit}>
                <th scope="row" title={quota ? visibleText(quota.quotaName) : undefined}>
                  {UNIT_LABEL[unit]}
                </th>
                {quota ? (
                  <>
                    <td className="num">
                      <AppliedValue quota={quota} />
                      {quota.note ? <sup title={quota.note}>*</sup> : null}
                      {compact && quota.applied !== null && quota.default !== null && quota.default !== quota.applied ? <div className="muted quota-default">default {formatCount(quota.default)}</div> : null}
                    </td>
                    {compact ? null : (
                      <>
                        <td className={`num${quota.default === quota.applied ? ' muted' : ''}`}>{quota.default === null ? '–' : formatCount(quota.default)}</td>
                        <td>{quota.adjustable ? 'yes' : 'no'}</td>
                      </>
                    )}
                    <td className="quota-code">
                      <code>{visibleText(quota.quotaCode)}</code> <IncreaseLink region={region} quota={quota} />
                    </td>
                  </>
                ) : (
                  <td colSpan={compact ? 2 : 4} className="quota-none">
                    {NO_QUOTA_FOUND}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {notes.map((note) => (
        <p key={note} className="quota-footnote muted">
          * <RegionText text={note} />
        </p>
      ))}
    </>
  );
}

/** A region whose quotas could not be read says so, with Service Quotas' own reason and what is shown instead. */
export function QuotaRegionFailure({ region, status }: { region: string; status: RegionQuotas }) {
  return (
    <p className="quota-failed" role="note" data-testid="quota-region-failed">
      ⚠ Quotas could not be read in <span className="region-name">{region}</span>
      {status.error ? (
        <>
          : <code>{visibleText(status.error.code)}</code> — <RegionText text={status.error.message} />
        </>
      ) : null}
      {status.fetchedAt ? <span className="muted"> (at {new Date(status.fetchedAt).toLocaleString()})</span> : null}
      {status.lastKnownAt && status.routes.length > 0 ? (
        <span data-testid="quota-last-known"> Shown: the quotas last read {new Date(status.lastKnownAt).toLocaleString()}.</span>
      ) : (
        <span> Nothing earlier is known.</span>
      )}
    </p>
  );
}

/** The routes a region's quotas can be shown for: those it answered, or those last known when it failed. */
export function shownRoutes(status: RegionQuotas | undefined): RouteQuotas[] {
  if (!status) return [];
  return status.status === 'ok' || status.lastKnownAt ? status.routes : [];
}
