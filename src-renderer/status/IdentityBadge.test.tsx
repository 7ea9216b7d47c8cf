// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhoAmI } from '../../src-shared/contract/identity';
import { AtlasError } from '../../src-shared/envelope';
import { fakeClient } from '../testing/fake-client';
import { IdentityBadge } from './IdentityBadge';

afterEach(cleanup);

const alice: WhoAmI = {
  account: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Dev_0123/alice',
  credentialSource: 'sso',
  profile: 'team',
  apiKey: null,
  note: null,
};

async function badgeFor(whoAmI: () => Promise<WhoAmI>) {
  const { wrapper, calls } = fakeClient({ whoAmI });
  render(<IdentityBadge awsProfile="team" />, { wrapper });
  const badge = screen.getByTestId('identity-badge');
  await waitFor(() => expect(badge.textContent).not.toMatch(/^…/));
  return { badge, tooltip: document.getElementById(badge.getAttribute('aria-describedby')!), calls };
}

describe('IdentityBadge (issue 16 §1)', () => {
  it('shows the account id shortened; the full ARN is the focusable badge’s description', async () => {
    const { badge, tooltip, calls } = await badgeFor(async () => alice);
    expect(badge.firstChild?.textContent).toBe('1234…9012');
    expect(badge.tabIndex).toBe(0);
    expect(tooltip?.getAttribute('role')).toBe('tooltip');
    expect(tooltip?.textContent).toBe('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Dev_0123/alice Credentials: sso (profile team).');
    expect(calls.map((call) => call.method)).toEqual(['whoAmI']);
  });

  it('with only a short-term API key: the key and its region, and why the account is unknown', async () => {
    const { badge, tooltip } = await badgeFor(async () => ({
      ...alice,
      account: null,
      arn: null,
      credentialSource: 'bedrock-api-key',
      profile: null,
      apiKey: { kind: 'short-term', region: 'eu-west-1', expiresAt: '2026-05-01T09:00:00.000Z' },
      note: 'Who you are needs AWS credentials (an API key covers Bedrock calls only).',
    }));
    expect(badge.firstChild?.textContent).toBe('API key eu-west-1');
    expect(tooltip?.textContent).toBe(
      'Bedrock calls use a short-term API key for eu-west-1, expiring 2026-05-01T09:00:00.000Z. Who you are needs AWS credentials (an API key covers Bedrock calls only).',
    );
  });

  it('names a credential failure with its fix', async () => {
    const { badge, tooltip } = await badgeFor(async () => {
      throw new AtlasError({ name: 'SSOTokenExpired', code: 'SSOTokenExpired', message: 'Your AWS SSO session has expired. Run `aws sso login --profile team` and try again.' });
    });
    expect(badge.className).toContain('failing');
    expect(badge.firstChild?.textContent).toBe('○ credentials');
    expect(tooltip?.textContent).toBe('Your AWS SSO session has expired. Run `aws sso login --profile team` and try again.');
  });
});
