import { useState } from 'react';
import type { CatalogSnapshot } from '../../src-shared/contract';
import type { DiscoveryFailure } from './discovery-failure';
import { SsoSignIn } from '../sso/SsoSignIn';
import { describeShownInstead } from './discovery-failure';
import './status.css';

/**
 * Says in view, above the page, that discovery answered in no region: why, what is shown instead, and a Retry.
 * Dismissing hides this failure only: the next one shows again.
 */
export function FailureBanner({
  failure,
  snapshot,
  retrying,
  onRetry,
  onShowRegions,
}: {
  failure: DiscoveryFailure;
  snapshot: CatalogSnapshot;
  retrying: boolean;
  onRetry: () => void;
  onShowRegions: () => void;
}) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (dismissed === failure.key) return null;
  const regionCount = Object.keys(failure.regions).length;
  return (
    <section className="failure-banner" role="alert" aria-label="Catalog refresh failed" data-testid="failure-banner">
      <span className="failure-icon" aria-hidden>
        ⚠
      </span>
      <div className="failure-text">
        <strong>
          Live discovery failed{regionCount > 0 ? ` in ${regionCount > 1 ? `all ${regionCount} regions` : 'the only region asked'}` : ''}:{' '}
          <span data-testid="failure-cause">{failure.cause}</span>
        </strong>
        <span data-testid="failure-shown-instead">Showing {describeShownInstead(snapshot)} instead.</span>
        {/* An SSO profile whose token is missing or expired: sign in here rather than in a terminal. */}
        <SsoSignIn />
      </div>
      <button type="button" className="primary" onClick={onRetry} disabled={retrying}>
        {retrying ? 'Retrying…' : 'Retry'}
      </button>
      <button type="button" onClick={onShowRegions}>
        Details
      </button>
      <button type="button" className="link-button" aria-label="Dismiss this message" onClick={() => setDismissed(failure.key)}>
        ✕
      </button>
    </section>
  );
}
