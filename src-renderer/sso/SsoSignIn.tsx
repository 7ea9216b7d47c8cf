import type { SsoStatus } from '../../src-shared/contract';
import { useSsoSignIn, useSsoStatus } from './use-sso-sign-in';
import './sso.css';

/** Why the profile needs a sign-in, in a few words. */
function needFor(status: SsoStatus): string {
  return status.token === 'expired' ? `The IAM Identity Center session of profile ${status.profile} has expired.` : `Profile ${status.profile} is not signed in to IAM Identity Center.`;
}

/**
 * "Sign in" for an SSO profile whose token is missing or expired: the device authorization, with the code to check
 * and the page to approve it on (opened in the system browser), Cancel, and what came of it. Shows nothing for a
 * profile that is not SSO or is signed in, unless a sign-in just ran here.
 */
export function SsoSignIn() {
  const status = useSsoStatus();
  const { sign, start, cancel } = useSsoSignIn();
  if (!status || status.kind === null) return null;
  if (sign.state === 'idle' && (status.token === 'valid' || status.token === null)) return null;
  return (
    <div className="sso-sign-in" data-testid="sso-sign-in" role="group" aria-label="IAM Identity Center sign-in">
      {sign.state === 'idle' || sign.state === 'cancelled' || sign.state === 'failed' ? (
        <>
          {sign.state === 'idle' ? <span>{needFor(status)}</span> : null}
          {sign.state === 'cancelled' ? <span data-testid="sso-outcome">Sign-in cancelled.</span> : null}
          {sign.state === 'failed' ? (
            <span role="alert" className="sso-failed" data-testid="sso-outcome">
              {sign.message}
            </span>
          ) : null}
          <button type="button" className="primary" onClick={start}>
            {sign.state === 'idle' ? 'Sign in' : 'Sign in again'}
          </button>
        </>
      ) : null}
      {sign.state === 'running' ? (
        <>
          {sign.chunk?.verificationUri ? (
            <span data-testid="sso-code">
              Approve the sign-in in your browser; check that it shows the code <strong className="sso-code">{sign.chunk.userCode}</strong>.{' '}
              <a href={sign.chunk.verificationUri} target="_blank" rel="noopener noreferrer">
                Open the sign-in page
              </a>
            </span>
          ) : (
            <span>Starting the sign-in…</span>
          )}
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </>
      ) : null}
      {sign.state === 'signed-in' ? (
        <span role="status" data-testid="sso-outcome">
          Signed in: profile {sign.result.profile}, valid until {sign.result.expiresAt}.
        </span>
      ) : null}
    </div>
  );
}
