// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetStatus, FleetSyncProgress, FleetSyncResult } from '../../src-shared/contract/fleet';
import { fakeClient } from '../testing/fake-client';
import { LAST_SYNC, NO_STORE, SYNCED } from './fleet-fixtures';
import { TeamDataSection } from './TeamDataSection';

afterEach(cleanup);

const STORE = 's3://team-latency/atlas';

/** The section as the Settings form holds it: a draft location, and the saved one. */
function setUp(saved: string | null, statuses: FleetStatus[], sync?: () => Promise<FleetSyncResult>) {
  let asked = 0;
  const fake = fakeClient({
    fleetStatus: async () => statuses[Math.min(asked++, statuses.length - 1)]!,
    syncFleet: sync ?? (() => new Promise(() => {})),
    cancelFleetSync: async () => ({ cancelled: true }),
  });
  function Harness() {
    const [draft, setDraft] = useState(saved);
    return <TeamDataSection draft={draft} saved={saved} onDraft={setDraft} />;
  }
  render(<Harness />, { wrapper: fake.wrapper });
  return fake;
}

const progress = (phase: FleetSyncProgress['phase'], counts: Partial<FleetSyncProgress>): FleetSyncProgress => ({ syncId: 's2', phase, listed: 0, downloaded: 0, skipped: 0, failed: 0, bytes: 0, toDownload: 0, ...counts });

describe('Settings, Team data: the location', () => {
  it.each([
    ['s3://Bad_Bucket/atlas', '"Bad_Bucket" is not an S3 bucket name'],
    ['shared/atlas', 'must be an absolute path'],
    ['https://example.com/store', 'Only a directory or s3://bucket/prefix can be a team store, not https://'],
  ])('names what is wrong with %s as it is typed', async (typed, message) => {
    setUp(null, [NO_STORE]);
    const input = screen.getByLabelText('Location');
    fireEvent.change(input, { target: { value: typed } });
    expect(screen.getByRole('alert').textContent).toContain(message);
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('takes a directory or an s3:// prefix, and syncs only the saved one', async () => {
    setUp(null, [NO_STORE]);
    expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByLabelText('Location'), { target: { value: STORE } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('team-store-check').textContent).toContain('A directory or an s3:// prefix');
    expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByTestId('fleet-sync').textContent).toContain('Set a location and save to sync.');
  });

  it('with a saved store, a changed location is saved before it is synced', async () => {
    setUp(STORE, [SYNCED]);
    await screen.findByTestId('team-vantages');
    expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(false);
    fireEvent.change(screen.getByLabelText('Location'), { target: { value: '/srv/atlas-store' } });
    expect(screen.getByRole('button', { name: 'Sync now' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByTestId('fleet-sync').textContent).toContain('Save the new location first: a sync reads the saved one.');
  });
});

describe('Settings, Team data: Sync now, its progress and Cancel', () => {
  it('shows listed, downloaded, unchanged and failed as the sync goes, cancels, and keeps what was downloaded', async () => {
    let finish: (result: FleetSyncResult) => void = () => {};
    const cancelled: FleetSyncResult = { ...LAST_SYNC, syncId: 's2', status: 'cancelled', listed: 120, downloaded: 3, skipped: 108, failed: 1, bytes: 600_000 };
    const { calls, emit } = setUp(STORE, [SYNCED, { ...SYNCED, lastSync: cancelled }], () => new Promise((resolve) => (finish = resolve)));
    await screen.findByTestId('team-vantages');
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    const cancel = await screen.findByRole('button', { name: 'Cancel sync' });
    expect(screen.getByTestId('fleet-sync-progress').textContent).toBe('starting…');
    act(() => emit('fleet.sync.progress', progress('listing', { listed: 120 })));
    expect(screen.getByTestId('fleet-sync-progress').textContent).toBe('listing the store… 120 parts found');
    act(() => emit('fleet.sync.progress', progress('downloading', { listed: 120, toDownload: 12, downloaded: 3, skipped: 108, failed: 1 })));
    expect(screen.getByTestId('fleet-sync-progress').textContent).toBe('120 parts listed · 3/12 downloaded · 108 unchanged · 1 failed');
    expect(screen.getByLabelText('Parts synced').getAttribute('value')).toBe('4');
    // Focus stays on the one button, which is Cancel now.
    expect(cancel.className).toBe('fleet-cancel');
    fireEvent.click(cancel);
    await waitFor(() => expect(calls.filter((call) => call.method === 'cancelFleetSync')).toHaveLength(1));
    act(() => finish(cancelled));
    await screen.findByRole('button', { name: 'Sync now' });
    await waitFor(() => expect(screen.getByTestId('fleet-last-sync').textContent).toContain('Cancelled: 120 parts listed, 3 downloaded (600 kB), 108 unchanged, 1 failed. The parts downloaded before the cancel are kept.'));
    expect(screen.queryByTestId('fleet-sync-progress')).toBeNull();
    expect(calls.map((call) => call.method)).toEqual(['fleetStatus', 'syncFleet', 'cancelFleetSync', 'fleetStatus']);
  });

  it('shows a sync started elsewhere as running, with its progress and Cancel', async () => {
    const { emit } = setUp(STORE, [{ ...SYNCED, syncing: true }]);
    await screen.findByRole('button', { name: 'Cancel sync' });
    act(() => emit('fleet.sync.progress', progress('downloading', { listed: 40, toDownload: 40, downloaded: 10 })));
    expect(screen.getByTestId('fleet-sync-progress').textContent).toBe('40 parts listed · 10/40 downloaded · 0 unchanged');
    // The core says the sync ended: the status it sends makes the button Sync now again.
    act(() => emit('fleet.status', SYNCED));
    await screen.findByRole('button', { name: 'Sync now' });
  });
});

describe('Settings, Team data: what the store holds and what it could not give', () => {
  it('lists the vantages found with their samples, runs, parts and dates, and when it was synced', async () => {
    setUp(STORE, [SYNCED]);
    const table = await screen.findByTestId('team-vantages');
    const rows = within(table).getAllByRole('row').slice(1).map((row) => [...row.children].slice(0, 4).map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['this machine', '48', '3', '–'],
      ['berlin-office', '320', '40', '40'],
      ['ecs-us-west-2', '640', '80', '80'],
      ['vpc-ap-southeast-2', '480', '60', '60'],
    ]);
    expect(screen.getByTestId('team-data-status').textContent).toContain(`Last synced ${new Date(SYNCED.lastSyncAt!).toLocaleString()} from ${STORE}`);
    expect(screen.getByTestId('fleet-last-sync').textContent).toContain('Synced: 120 parts listed, 12 downloaded (2.4 MB), 108 unchanged, 0 failed.');
  });

  it('names each problem with its part: unreachable, corrupt, newer schema', async () => {
    setUp(STORE, [
      {
        ...SYNCED,
        problems: [
          { kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:9000: the data synced before stays readable' },
          { kind: 'corrupt', part: 'samples/vantage=berlin-office/date=2026-12-01/r1.parquet', message: 'not a Parquet file' },
          { kind: 'newer-schema', part: 'samples/vantage=ecs-us-west-2/date=2026-12-03/r3.parquet', message: 'schema version 3; this version reads 1 in full' },
        ],
      },
    ]);
    const items = within(await screen.findByTestId('team-problems')).getAllByRole('listitem').map((item) => item.textContent);
    expect(items).toEqual([
      'Store unreachable: connect ECONNREFUSED 127.0.0.1:9000: the data synced before stays readable',
      'Unreadable part, skipped samples/vantage=berlin-office/date=2026-12-01/r1.parquet: not a Parquet file',
      'Written by a newer Bedrock Atlas samples/vantage=ecs-us-west-2/date=2026-12-03/r3.parquet: schema version 3; this version reads 1 in full',
    ]);
    // What was synced before is still listed.
    expect(screen.getByTestId('team-vantages')).toBeTruthy();
  });

  it('says a synced store with nothing readable yet holds no samples', async () => {
    setUp(STORE, [{ ...SYNCED, vantages: SYNCED.vantages.slice(0, 1), partsCached: 0 }]);
    expect((await screen.findByTestId('team-no-vantages')).textContent).toContain('holds no readable samples yet');
  });
});
