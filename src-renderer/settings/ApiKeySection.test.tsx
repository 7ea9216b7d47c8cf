// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src-shared/contract';
import type { ApiKeyState } from '../../src-shared/contract/identity';
import { fakeClient } from '../testing/fake-client';
import { ApiKeySection } from './ApiKeySection';
import { SettingsPage } from './SettingsPage';

afterEach(cleanup);

// A made-up short-term key: its shape only (the core reads the kind, region and expiry; the page never shows it).
const PASTED = 'bedrock-api-key-YmVkcm9jay5ldS13ZXN0LTEuYW1hem9uYXdzLmNvbS8_QWN0aW9uPUNhbGxXaXRoQmVhcmVyVG9rZW4mWC1BbXotU2lnbmF0dXJlPWFiYw&Version=1';
const none: ApiKeyState = { key: null, canStore: true, note: null };
const stored: ApiKeyState = {
  key: { kind: 'short-term', region: 'eu-west-1', expiresAt: '2026-12-07T09:00:00.000Z', expired: false, source: 'vault', problem: null },
  canStore: true,
  note: null,
};

describe('Settings: Use a Bedrock API key', () => {
  it('takes a pasted key in a password field, sends it once through setApiKey, empties the field and shows kind, region and expiry, never the key', async () => {
    let state = none;
    const { wrapper, calls } = fakeClient({
      apiKeyStatus: async () => state,
      setApiKey: async () => (state = stored),
    });
    const { container } = render(<ApiKeySection />, { wrapper });
    expect((await screen.findByTestId('api-key-status')).textContent).toBe('No API key: Bedrock calls are signed with the AWS credentials.');
    const field = screen.getByLabelText('API key');
    expect(field.getAttribute('type')).toBe('password');
    fireEvent.change(field, { target: { value: PASTED } });
    fireEvent.keyDown(field, { key: 'Enter' });

    await waitFor(() => expect(screen.getByTestId('api-key-status').textContent).toMatch(/^Short-term key for eu-west-1, expires .+, kept by the OS keychain/));
    expect(calls.filter((call) => call.method === 'setApiKey')).toEqual([{ method: 'setApiKey', input: { key: PASTED } }]);
    expect((field as HTMLInputElement).value).toBe('');
    expect(container.innerHTML).not.toContain(PASTED.slice(16, 40));
  });

  it('removes a stored key with one click (clearApiKey)', async () => {
    let state = stored;
    const { wrapper, calls } = fakeClient({ apiKeyStatus: async () => state, clearApiKey: async () => (state = none) });
    render(<ApiKeySection />, { wrapper });
    fireEvent.click(await screen.findByRole('button', { name: 'Remove the key' }));
    await waitFor(() => expect(screen.getByTestId('api-key-status').textContent).toBe('No API key: Bedrock calls are signed with the AWS credentials.'));
    expect(calls.filter((call) => call.method === 'clearApiKey')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Remove the key' })).toBeNull();
  });

  it('a key refused by the core (malformed, expired) is named and does not stay in the field', async () => {
    const { wrapper } = fakeClient({
      apiKeyStatus: async () => none,
      setApiKey: async () => Promise.reject(Object.assign(new Error('This Bedrock API key is malformed: it is neither a short-term nor a long-term key.'), { name: 'CredentialsError' })),
    });
    render(<ApiKeySection />, { wrapper });
    const field = await screen.findByLabelText('API key');
    fireEvent.change(field, { target: { value: 'not-a-key' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use this key' }));
    await screen.findByText(/malformed/);
    expect((field as HTMLInputElement).value).toBe('');
  });

  it('the browser host offers no field: it says it accepts the environment variable only, and shows that key', async () => {
    const browser: ApiKeyState = {
      key: { kind: 'long-term', region: null, expiresAt: null, expired: false, source: 'environment', problem: null },
      canStore: false,
      note: 'The browser host accepts the environment variable only: start it with AWS_BEARER_TOKEN_BEDROCK set to use a Bedrock API key.',
    };
    const { wrapper, calls } = fakeClient({ apiKeyStatus: async () => browser });
    render(<ApiKeySection />, { wrapper });
    expect((await screen.findByTestId('api-key-status')).textContent).toBe('Long-term key (every region), from AWS_BEARER_TOKEN_BEDROCK');
    expect(screen.getByTestId('api-key-note').textContent).toContain('accepts the environment variable only');
    expect(screen.queryByLabelText('API key')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove the key' })).toBeNull();
    expect(calls.map((call) => call.method)).toEqual(['apiKeyStatus']);
  });
});

describe('the Settings page around it', () => {
  it('shows the API key section, and puts the 34 region checkboxes after every other setting, grouped by geography (issue 21)', async () => {
    const { wrapper } = fakeClient({
      getSettingsView: async () => ({ settings: DEFAULT_SETTINGS, commandLine: [], problems: [], keptAside: null }),
      apiKeyStatus: async () => none,
    });
    const { container } = render(<SettingsPage />, { wrapper });
    await screen.findByTestId('api-key-status');
    const legends = [...container.querySelectorAll('fieldset > legend')].map((legend) => legend.textContent);
    expect(legends.indexOf('Use a Bedrock API key')).toBe(legends.indexOf('AWS') + 1);
    expect(legends.at(-1)).toMatch(/region/i);
    // Tab order: every control before the first region checkbox belongs to the other settings.
    const controls = [...container.querySelectorAll('input, select, button')];
    const firstRegion = controls.findIndex((control) => control.closest('fieldset')?.querySelector('legend')?.textContent === legends.at(-1));
    expect(controls.slice(firstRegion).filter((control) => control.getAttribute('type') === 'checkbox')).toHaveLength(34);
    // The only box before them is a setting's own (OpenTelemetry export), never a region's.
    const boxesBefore = controls.slice(0, firstRegion).filter((control) => control.getAttribute('type') === 'checkbox');
    expect(boxesBefore.map((control) => control.closest('label')?.textContent)).toEqual([expect.stringMatching(/OpenTelemetry/)]);
    expect(screen.getByRole('group', { name: 'Europe' }).querySelectorAll('input[type=checkbox]').length).toBeGreaterThan(3);
  });
});
