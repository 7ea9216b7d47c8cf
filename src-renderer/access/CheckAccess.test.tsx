// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessReport } from '../../src-shared/contract/access';
import { fakeClient } from '../testing/fake-client';
import { CheckAccess } from './CheckAccess';

afterEach(cleanup);

const GEO = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';

function report(overrides: Partial<AccessReport> = {}): AccessReport {
  return {
    target: GEO,
    from: 'eu-central-1',
    invokeId: GEO,
    routeKind: 'geo-profile',
    verdict: 'unknown',
    checks: [
      { id: 'credentials', status: 'pass', message: 'calling as arn:aws:iam::123456789012:user/Alice (environment)' },
      { id: 'iam', status: 'unknown', message: 'your role cannot run the IAM policy simulator (iam:SimulatePrincipalPolicy)', fix: 'check with one real call instead' },
      { id: 'organization-policy', status: 'warn', message: 'eu-south-2 is denied by an organization policy: requests routed there will fail', fix: 'ask your administrator to allow bedrock:InvokeModel in eu-south-2' },
    ],
    principal: null,
    checkedAt: '2026-12-06T00:00:00Z',
    cached: false,
    iamCalls: 6,
    ...overrides,
  };
}

describe('CheckAccess', () => {
  it('asks nothing until clicked, then shows the verdict and one line per check with its fix; an unknown is never drawn as a pass', async () => {
    const { wrapper, calls } = fakeClient({ checkAccess: async () => report() });
    render(<CheckAccess target={GEO} from="eu-central-1" />, { wrapper });
    expect(calls).toEqual([]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check access' })));
    expect(calls).toEqual([{ method: 'checkAccess', input: { target: GEO, from: 'eu-central-1', autoProfile: false, recheck: false } }]);
    expect((await screen.findByTestId('access-verdict')).textContent).toMatch(/^Unknown: some checks could not tell/);
    const iam = screen.getByTestId('access-check-iam');
    expect(iam.className).toContain('access-check-unknown');
    expect(iam.querySelector('.access-check-symbol')!.textContent).toBe('?');
    expect(screen.getByTestId('access-check-organization-policy').textContent).toContain('eu-south-2 is denied by an organization policy: requests routed there will fail — ask your administrator');
  });

  it('Re-check forces a fresh check; "Check with a live call" asks for one', async () => {
    const { wrapper, calls } = fakeClient({ checkAccess: async () => report() });
    render(<CheckAccess target={GEO} from="eu-central-1" autoProfile />, { wrapper });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check access' })));
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Re-check' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check with a live call' })));
    await screen.findByTestId('access-verdict');
    expect(calls.map((call) => call.input)).toEqual([
      { target: GEO, from: 'eu-central-1', autoProfile: true, recheck: false },
      { target: GEO, from: 'eu-central-1', autoProfile: true, recheck: true },
      { target: GEO, from: 'eu-central-1', autoProfile: true, recheck: true, live: true },
    ]);
  });
});
