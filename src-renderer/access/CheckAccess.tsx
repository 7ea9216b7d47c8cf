import { useEffect } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { AccessCheck, AccessReport, CheckStatus } from '../../src-shared/contract/access';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { visibleText } from '../../src-shared/text/visible-text';
import './check-access.css';

/**
 * "Check access": the access doctor's report for one route, on demand (its IAM calls are not free), compact: the
 * verdict, then one line per check with its fix. An unknown says why and is never drawn as a pass. The same
 * component sits in the matrix cell panel and in each playground pane's route plan.
 */

const STATUS_SYMBOL: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✕', unknown: '?' };
const VERDICT_TEXT: Record<AccessReport['verdict'], string> = {
  ready: 'Ready: every check passed',
  'at-risk': 'At risk: some calls may fail',
  blocked: 'Blocked: calls will fail',
  unknown: 'Unknown: some checks could not tell',
};

function CheckLine({ check }: { check: AccessCheck }) {
  return (
    <li className={`access-check access-check-${check.status}`} data-testid={`access-check-${check.id}`}>
      <span className="access-check-symbol" aria-label={check.status} title={check.status}>
        {STATUS_SYMBOL[check.status]}
      </span>
      <span className="access-check-id">{check.id}</span>
      <span className="access-check-text">
        {visibleText(check.message)}
        {check.fix ? <span className="access-check-fix"> — {visibleText(check.fix)}</span> : null}
      </span>
    </li>
  );
}

export function CheckAccess({
  target,
  from,
  autoProfile = false,
  compact = false,
  startAtOnce = false,
}: {
  target: string;
  from: string;
  autoProfile?: boolean;
  compact?: boolean;
  /** Check as soon as shown (the pane shows this component only once its own "Check access" is clicked). */
  startAtOnce?: boolean;
}) {
  const { api } = useAtlas();
  const check = useMutation({
    mutationFn: (options: { recheck?: boolean; live?: boolean }) => api.checkAccess({ target, from, autoProfile, ...options }),
  });
  const { mutate } = check;
  useEffect(() => {
    if (startAtOnce) mutate({});
  }, [startAtOnce, mutate, target, from]);
  const report = check.data && check.data.target === target && check.data.from === from ? check.data : null;
  const simulatorDenied = report?.checks.some((entry) => entry.id === 'iam' && entry.status === 'unknown' && entry.message.includes('iam:SimulatePrincipalPolicy')) ?? false;
  const hasLive = report?.checks.some((entry) => entry.id === 'live-call') ?? false;
  return (
    <div className={`check-access${compact ? ' check-access-compact' : ''}`} data-testid="check-access">
      <div className="check-access-actions">
        <button type="button" onClick={() => check.mutate({ recheck: report !== null })} disabled={check.isPending || target.trim() === ''}>
          {check.isPending ? 'Checking…' : report ? 'Re-check' : 'Check access'}
        </button>
        {report && !hasLive ? (
          <button type="button" className={simulatorDenied ? 'primary' : undefined} onClick={() => check.mutate({ recheck: true, live: true })} disabled={check.isPending} title="One real 1-token call through this route, never retried">
            Check with a live call
          </button>
        ) : null}
      </div>
      {check.isError ? <ErrorNotice error={check.error} /> : null}
      {report ? (
        <div aria-live="polite">
          <p className={`access-verdict access-verdict-${report.verdict}`} data-testid="access-verdict">
            {VERDICT_TEXT[report.verdict]}
            <span className="muted">
              {' '}
              · {report.invokeId ?? report.target} from {report.from}
              {report.cached ? ' · checked earlier' : ''}
            </span>
          </p>
          <ul className="access-checks">
            {report.checks.map((entry) => (
              <CheckLine key={entry.id} check={entry} />
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
