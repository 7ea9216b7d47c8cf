import { useQuery } from '@tanstack/react-query';
import { useAtlas } from '../api/atlas-context';
import { WHO_AM_I_KEY } from '../status/IdentityBadge';

/**
 * Who the app calls AWS as, in full: the account, the ARN, where the credentials come from and the profile. The same
 * answer as the status bar's badge (one STS call per credential set), with a way to ask again after `aws sso login`.
 */
export function IdentitySection({ awsProfile }: { awsProfile: string | null }) {
  const { api } = useAtlas();
  const who = useQuery({ queryKey: [...WHO_AM_I_KEY, awsProfile], queryFn: () => api.whoAmI(), staleTime: Infinity, retry: false });
  return (
    <fieldset data-testid="identity-section">
      <legend>Who am I</legend>
      {who.isPending ? <p className="muted">Asking STS who the credentials are…</p> : null}
      {who.error ? (
        <p className="settings-identity-error" role="alert">
          {who.error.message}
        </p>
      ) : null}
      {who.data ? (
        <dl className="settings-identity">
          <dt>Account</dt>
          <dd>{who.data.account ?? '—'}</dd>
          <dt>ARN</dt>
          <dd>
            <code>{who.data.arn ?? '—'}</code>
          </dd>
          <dt>Credentials</dt>
          <dd>
            {who.data.credentialSource}
            {who.data.profile ? ` (profile ${who.data.profile})` : ''}
          </dd>
          {who.data.note ? (
            <>
              <dt>Note</dt>
              <dd>{who.data.note}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <button type="button" onClick={() => void who.refetch()} disabled={who.isFetching}>
        Ask again
      </button>
    </fieldset>
  );
}
