// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SsoSignInChunk, SsoSignInResult, SsoStatus } from '../../src-shared/contract';
import { AtlasError } from '../../src-shared/envelope';
import { fakeClient } from '../testing/fake-client';
import { SsoSignIn } from './SsoSignIn';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const status = (token: SsoStatus['token'], kind: SsoStatus['kind'] = 'sso-session'): SsoStatus => ({
  profile: 'team',
  kind,
  sessionName: kind ? 'corp' : null,
  startUrl: kind ? 'https://corp.awsapps.com/start' : null,
  ssoRegion: kind ? 'us-east-1' : null,
  token,
  expiresAt: null,
  cacheFile: null,
  problem: null,
});

const CODE: SsoSignInChunk = { phase: 'authorizing', verificationUri: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH', userCode: 'ABCD-EFGH', expiresAt: '2026-12-07T08:10:00Z' };

/** A sign-in stream the test drives: it sends chunks and ends it as it likes; cancel is recorded. */
function drivenStream() {
  let onChunk: (chunk: SsoSignInChunk) => void = () => {};
  let settle: { resolve(result: SsoSignInResult): void; reject(error: Error): void } | null = null;
  const cancels: number[] = [];
  const ssoSignIn = (_input: unknown, chunk: (chunk: SsoSignInChunk) => void) => {
    onChunk = chunk;
    const result = new Promise<SsoSignInResult>((resolve, reject) => (settle = { resolve, reject }));
    return { result, cancel: () => cancels.push(1) };
  };
  return { ssoSignIn, send: (chunk: SsoSignInChunk) => act(() => onChunk(chunk)), end: () => settle!, cancels };
}

describe('the Sign in offer', () => {
  it('offers nothing for a profile that is not SSO, or one that is signed in', async () => {
    for (const answer of [status(null, null), status('valid')]) {
      const { wrapper, calls } = fakeClient({ ssoStatus: async () => answer });
      const { container } = render(<SsoSignIn />, { wrapper });
      await vi.waitFor(() => expect(calls.map((call) => call.method)).toContain('ssoStatus'));
      await act(async () => {});
      expect(container.textContent).toBe('');
      cleanup();
    }
  });

  it('signs in: shows the code and the page, opens it once, and says until when the session holds', async () => {
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    const stream = drivenStream();
    const { wrapper } = fakeClient({ ssoStatus: async () => status('expired') }, { ssoSignIn: stream.ssoSignIn });
    render(<SsoSignIn />, { wrapper });
    expect((await screen.findByTestId('sso-sign-in')).textContent).toContain('The IAM Identity Center session of profile team has expired.');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    stream.send({ phase: 'registering', verificationUri: null, userCode: null, expiresAt: null });
    expect(screen.getByTestId('sso-sign-in').textContent).toContain('Starting the sign-in');
    stream.send(CODE);
    stream.send({ ...CODE, phase: 'waiting' });
    const code = screen.getByTestId('sso-code');
    expect(code.querySelector('strong')?.textContent).toBe('ABCD-EFGH');
    expect(code.querySelector('a')?.getAttribute('href')).toBe(CODE.verificationUri);
    expect(open.mock.calls).toEqual([[CODE.verificationUri, '_blank', 'noopener,noreferrer']]);
    await act(async () => stream.end().resolve({ signedIn: true, cancelled: false, profile: 'team', expiresAt: '2026-12-07T16:00:00Z', cacheFile: '/h/.aws/sso/cache/x.json' }));
    expect(screen.getByTestId('sso-outcome').textContent).toBe('Signed in: profile team, valid until 2026-12-07T16:00:00Z.');
  });

  it('Cancel asks the core to stop, and says the sign-in was cancelled', async () => {
    vi.spyOn(window, 'open').mockImplementation(() => null);
    const stream = drivenStream();
    const { wrapper } = fakeClient({ ssoStatus: async () => status('missing') }, { ssoSignIn: stream.ssoSignIn });
    render(<SsoSignIn />, { wrapper });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    stream.send(CODE);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(stream.cancels).toEqual([1]);
    await act(async () => stream.end().resolve({ signedIn: false, cancelled: true, profile: 'team', expiresAt: null, cacheFile: null }));
    expect(screen.getByTestId('sso-outcome').textContent).toBe('Sign-in cancelled.');
    expect(screen.getByRole('button', { name: 'Sign in again' })).toBeTruthy();
  });

  it('a denied sign-in shows the core’s message and offers to sign in again', async () => {
    vi.spyOn(window, 'open').mockImplementation(() => null);
    const stream = drivenStream();
    const { wrapper } = fakeClient({ ssoStatus: async () => status('missing') }, { ssoSignIn: stream.ssoSignIn });
    render(<SsoSignIn />, { wrapper });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    const message = 'The sign-in to https://corp.awsapps.com/start was denied (code ABCD-EFGH): the request was refused in the browser.';
    await act(async () => stream.end().reject(new AtlasError({ name: 'SsoSignInError', code: 'SSO_AUTHORIZATION_DENIED', message })));
    expect(screen.getByTestId('sso-outcome').textContent).toBe(message);
    expect(screen.getByRole('button', { name: 'Sign in again' })).toBeTruthy();
  });
});
