import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { WhoAmI } from '../../src-shared/contract/identity';
import { useAtlas } from '../api/atlas-context';
import './identity-badge.css';

export const WHO_AM_I_KEY = ['whoAmI'] as const;

/** `1234…9012`: enough of the account id to recognise it; the full ARN is a hover or a focus away. */
export function shortAccount(account: string): string {
  return account.length > 8 ? `${account.slice(0, 4)}…${account.slice(-4)}` : account;
}

/** The badge's text and its full description, from the identity (or why it is unknown). */
export function describeIdentity(who: WhoAmI | undefined, error: Error | null): { label: string; full: string; failed: boolean } {
  if (error) return { label: '○ credentials', full: error.message, failed: true };
  if (!who) return { label: '…', full: 'Asking STS who the credentials are…', failed: false };
  const key = who.apiKey
    ? who.apiKey.kind === 'short-term'
      ? `Bedrock calls use a short-term API key for ${who.apiKey.region}, expiring ${who.apiKey.expiresAt}.`
      : 'Bedrock calls use a long-term API key.'
    : '';
  const keyBadge = who.apiKey ? ` · API key${who.apiKey.region ? ` ${who.apiKey.region}` : ''}` : '';
  if (!who.account) return { label: `API key${who.apiKey?.region ? ` ${who.apiKey.region}` : ''}`, full: [key, who.note].filter(Boolean).join(' '), failed: false };
  const source = `Credentials: ${who.credentialSource}${who.profile ? ` (profile ${who.profile})` : ''}.`;
  return { label: `${shortAccount(who.account)}${keyBadge}`, full: [who.arn, source, key].filter(Boolean).join(' '), failed: false };
}

/**
 * Who the app calls AWS as, in the status bar: the account id shortened, and on hover or keyboard focus the full
 * ARN, where the credentials come from and the API key in use. Asked again when the profile changes.
 */
export function IdentityBadge({ awsProfile }: { awsProfile: string | null }) {
  const { api } = useAtlas();
  const tooltipId = useId();
  const who = useQuery({ queryKey: [...WHO_AM_I_KEY, awsProfile], queryFn: () => api.whoAmI(), staleTime: Infinity, retry: false });
  const { label, full, failed } = describeIdentity(who.data, who.error);
  return (
    <span className={`identity-badge${failed ? ' failing' : ''}`} tabIndex={0} aria-describedby={tooltipId} data-testid="identity-badge">
      {label}
      <span role="tooltip" id={tooltipId} className="identity-tooltip">
        {full}
      </span>
    </span>
  );
}
