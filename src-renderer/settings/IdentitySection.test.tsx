// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhoAmI } from '../../src-shared/contract/identity';
import { fakeClient } from '../testing/fake-client';
import { IdentitySection } from './IdentitySection';

afterEach(cleanup);

const ALICE: WhoAmI = {
  account: '111122223333',
  arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123/alice',
  credentialSource: 'sso',
  profile: 'work',
  apiKey: null,
  note: null,
};

describe('Settings: who am I', () => {
  it('shows the account, the full ARN and where the credentials come from', async () => {
    const { wrapper } = fakeClient({ whoAmI: async () => ALICE });
    render(<IdentitySection awsProfile="work" />, { wrapper });
    expect(await screen.findByText(ALICE.arn!)).toBeTruthy();
    expect(screen.getByText('111122223333')).toBeTruthy();
    expect(screen.getByText('sso (profile work)')).toBeTruthy();
  });

  it('names the failure with its fix, and asks again on request', async () => {
    let calls = 0;
    const { wrapper } = fakeClient({
      whoAmI: async () => {
        calls++;
        if (calls === 1) throw new Error('Your AWS SSO session has expired. Run `aws sso login --profile work` and try again.');
        return ALICE;
      },
    });
    render(<IdentitySection awsProfile="work" />, { wrapper });
    expect((await screen.findByRole('alert')).textContent).toMatch(/aws sso login --profile work/);
    fireEvent.click(screen.getByRole('button', { name: 'Ask again' }));
    expect(await screen.findByText(ALICE.arn!)).toBeTruthy();
    expect(calls).toBe(2);
  });
});
