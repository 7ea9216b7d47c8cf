// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src-shared/contract';
import { NO_STORE } from '../fleet/fleet-fixtures';
import { fakeClient } from '../testing/fake-client';
import { SettingsPage } from './SettingsPage';

afterEach(cleanup);

describe('the Settings page', () => {
  it('says the settings file was damaged and names the copy it was kept in', async () => {
    const keptAside = '/home/ana/.config/bedrock-atlas/settings.json.damaged-2026-12-06T21-00-00-000Z';
    const { wrapper } = fakeClient({
      getSettingsView: async () => ({ settings: DEFAULT_SETTINGS, commandLine: [], problems: [`Settings file x is not valid JSON; using defaults. The file as it was is kept in ${keptAside}.`], keptAside }),
    });
    render(<SettingsPage />, { wrapper });
    const notice = await screen.findByTestId('settings-file-problems');
    expect(notice.textContent).toContain('could not be used as it was');
    expect(notice.querySelector('p code')?.textContent).toBe(keptAside);
  });

  it('shows no notice for a sound file', async () => {
    const { wrapper } = fakeClient({ getSettingsView: async () => ({ settings: DEFAULT_SETTINGS, commandLine: [], problems: [], keptAside: null }) });
    render(<SettingsPage />, { wrapper });
    await screen.findByRole('heading', { name: 'Settings' });
    expect(screen.queryByTestId('settings-file-problems')).toBeNull();
  });

  it('leaves OpenTelemetry export off until the box is ticked, and then saves it on', async () => {
    const saved: Settings[] = [];
    const { wrapper } = fakeClient({
      getSettingsView: async () => ({ settings: DEFAULT_SETTINGS, commandLine: [], problems: [], keptAside: null }),
      updateSettings: async (next) => (saved.push(next as Settings), next as Settings),
    });
    render(<SettingsPage />, { wrapper });
    const box = await screen.findByRole<HTMLInputElement>('checkbox', { name: /Export measurements as OpenTelemetry metrics/ });
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    fireEvent.submit(box.form!);
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.otlpExport).toBe(true);
  });

  it('a saved team store is in force at once: Sync now is enabled even while the settings view is still being read again', async () => {
    let views = 0;
    const { wrapper } = fakeClient({
      // The first read answers; the read after the save never does, so only the save itself can enable Sync now.
      getSettingsView: () => (views++ === 0 ? Promise.resolve({ settings: DEFAULT_SETTINGS, commandLine: [], problems: [], keptAside: null }) : new Promise(() => {})),
      updateSettings: async (next) => ({ ...DEFAULT_SETTINGS, ...next }) as Settings,
      fleetStatus: async () => NO_STORE,
    });
    render(<SettingsPage />, { wrapper });
    const location = await screen.findByLabelText<HTMLInputElement>('Location');
    expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(true);
    fireEvent.change(location, { target: { value: '/shared/atlas-store' } });
    fireEvent.submit(location.form!);
    await screen.findByText('Saved.');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(false));
    expect(views).toBe(2);
  });
});
