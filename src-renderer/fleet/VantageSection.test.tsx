// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetStatus, TtftByVantage } from '../../src-shared/contract/fleet';
import { HEAT_COLORS } from '../attribution/heatmap-scale';
import { fakeClient } from '../testing/fake-client';
import { HAIKU } from '../testing/small-catalog';
import { createFleetWork } from './fleet-work';
import { BY_VANTAGE, NO_STORE, SYNCED } from './fleet-fixtures';
import { useVantageChoice } from './use-fleet';
import { VantageSection } from './VantageSection';

afterEach(cleanup);

function setUp(status: FleetStatus, answer: TtftByVantage = BY_VANTAGE) {
  const fake = fakeClient({ fleetStatus: async () => status, ttftByVantage: async () => answer });
  function Harness() {
    const [work] = useState(createFleetWork);
    return <VantageSection target={HAIKU} choice={useVantageChoice(work)} refreshKey={null} />;
  }
  render(<Harness />, { wrapper: fake.wrapper });
  return fake;
}

const cellOf = (vantage: string, region: string) => screen.getAllByTestId('by-vantage-cell').find((cell) => cell.dataset.vantage === vantage && cell.dataset.region === region)!;

describe('By vantage: p50 TTFT by vantage × region', () => {
  it('writes each p50 in its cell, in ms, rows by vantage and columns by region, blank where nothing was measured', async () => {
    const { calls } = setUp(SYNCED);
    const grid = await screen.findByTestId('by-vantage-heatmap');
    expect(calls.find((call) => call.method === 'ttftByVantage')?.input).toEqual({ target: HAIKU, since: '30d' });
    expect([...grid.querySelectorAll('thead th')].map((header) => header.textContent)).toEqual(['Vantage \\ region', 'eu-central-1', 'us-east-1', 'us-west-2']);
    expect([...grid.querySelectorAll('tbody th')].map((header) => header.textContent)).toEqual(['this machine', 'berlin-office', 'ecs-us-west-2', 'vpc-ap-southeast-2']);
    expect(cellOf('local', 'us-east-1').textContent).toBe('402');
    expect(cellOf('berlin-office', 'eu-central-1').textContent).toBe('232');
    expect(cellOf('ecs-us-west-2', 'us-west-2').textContent).toBe('212');
    expect(cellOf('vpc-ap-southeast-2', 'us-west-2').textContent).toBe('599');
    expect(cellOf('local', 'eu-central-1').textContent).toBe('');
    expect(cellOf('local', 'eu-central-1').getAttribute('aria-label')).toBe('From this machine to eu-central-1: no samples');
    // The reading names the widest gap: us-west-2, 212 ms from ECS us-west-2 against 599 ms from Sydney.
    expect(screen.getByTestId('by-vantage-reading').textContent).toBe('The widest gap is to us-west-2: 212 ms from ecs-us-west-2, 599 ms from vpc-ap-southeast-2 (387 ms apart).');
  });

  it('colours on one sequential scale, lightest for the fastest cell and darkest for the slowest, with its legend', async () => {
    setUp(SYNCED);
    await screen.findByTestId('by-vantage-heatmap');
    const background = (vantage: string, region: string) => cellOf(vantage, region).style.background;
    const hex = (color: string) => {
      const probe = document.createElement('span');
      probe.style.background = color;
      return probe.style.background;
    };
    expect(background('ecs-us-west-2', 'us-west-2')).toBe(hex(HEAT_COLORS[0].color));
    expect(background('vpc-ap-southeast-2', 'us-west-2')).toBe(hex(HEAT_COLORS[6].color));
    const legend = screen.getByTestId('by-vantage-legend');
    expect(legend.textContent).toBe('faster200–300 ms300–400 ms400–500 ms500–600 msslowerno samples');
  });

  it('gives p90, p99 and the samples of the cell pointed at or moved to, and moves by arrow keys', async () => {
    setUp(SYNCED);
    await screen.findByTestId('by-vantage-heatmap');
    const first = cellOf('local', 'eu-central-1');
    expect(first.tabIndex).toBe(0);
    fireEvent.mouseEnter(cellOf('vpc-ap-southeast-2', 'us-west-2'));
    expect(screen.getByTestId('by-vantage-tooltip').textContent).toBe('From vpc-ap-southeast-2 to us-west-2: p50 599 ms · p90 778 ms · p99 1078 ms · 1 sample');
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    await waitFor(() => expect(document.activeElement).toBe(cellOf('local', 'us-east-1')));
    expect(screen.getByTestId('by-vantage-tooltip').textContent).toBe('From this machine to us-east-1: p50 402 ms · p90 523 ms · p99 724 ms · 24 samples');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement).toBe(cellOf('berlin-office', 'us-east-1')));
    fireEvent.keyDown(document.activeElement!, { key: 'End', ctrlKey: true });
    await waitFor(() => expect(document.activeElement).toBe(cellOf('vpc-ap-southeast-2', 'us-west-2')));
    expect(cellOf('vpc-ap-southeast-2', 'us-west-2').tabIndex).toBe(0);
    expect(cellOf('local', 'eu-central-1').tabIndex).toBe(-1);
  });

  it('as a table, lists every measured vantage × region with p50, p90, p99 and samples', async () => {
    setUp(SYNCED);
    await screen.findByTestId('by-vantage-heatmap');
    fireEvent.click(screen.getByRole('radio', { name: 'table' }));
    const rows = within(screen.getByTestId('by-vantage-table')).getAllByRole('row').slice(1);
    expect(rows.map((row) => [...row.children].map((cell) => cell.textContent))).toEqual([
      ['this machine', 'us-east-1', '402 ms', '523 ms', '724 ms', '24'],
      ['berlin-office', 'eu-central-1', '232 ms', '301 ms', '417 ms', '40'],
      ['berlin-office', 'us-east-1', '389 ms', '506 ms', '700 ms', '40'],
      ['berlin-office', 'us-west-2', '512 ms', '666 ms', '922 ms', '40'],
      ['ecs-us-west-2', 'us-east-1', '301 ms', '391 ms', '542 ms', '40'],
      ['ecs-us-west-2', 'us-west-2', '212 ms', '276 ms', '382 ms', '40'],
      ['vpc-ap-southeast-2', 'us-west-2', '599 ms', '778 ms', '1078 ms', '1'],
    ]);
  });

  it('asks again over the window chosen', async () => {
    const { calls } = setUp(SYNCED);
    await screen.findByTestId('by-vantage-heatmap');
    fireEvent.click(screen.getByRole('radio', { name: '7d' }));
    await waitFor(() => expect(calls.filter((call) => call.method === 'ttftByVantage').at(-1)?.input).toEqual({ target: HAIKU, since: '7d' }));
  });
});

describe('By vantage: when there is nothing to compare', () => {
  it('without a team store, says so and links to Settings, and asks nothing', async () => {
    const { calls } = setUp(NO_STORE);
    const line = await screen.findByTestId('by-vantage-not-set');
    expect(within(line).getByRole('link').getAttribute('href')).toBe('#/settings');
    expect(calls.some((call) => call.method === 'ttftByVantage')).toBe(false);
  });

  it('synced, but no vantage measured this target: says so with the vantages counted', async () => {
    setUp(SYNCED, { ...BY_VANTAGE, vantages: [], regions: [], cells: [] });
    expect((await screen.findByTestId('by-vantage-empty')).textContent).toContain('No samples of anthropic.claude-3-haiku-20240307-v1:0 in the last 30 days, from this machine or from any of the team’s 3 vantages.');
  });

  it('only this machine measured it: shows its row and says no team vantage did', async () => {
    setUp(SYNCED, { ...BY_VANTAGE, vantages: ['local'], regions: ['us-east-1'], cells: BY_VANTAGE.cells.filter((cell) => cell.vantage === 'local') });
    expect((await screen.findByTestId('by-vantage-reading')).textContent).toContain('No team vantage measured this target in the last 30 days');
    expect(cellOf('local', 'us-east-1').textContent).toBe('402');
  });

  it('names the parts the answer could not read, beside what it could', async () => {
    setUp(SYNCED, { ...BY_VANTAGE, problems: [{ kind: 'corrupt', part: 'samples/vantage=berlin-office/date=2026-12-01/r9.parquet', message: 'not a Parquet file (magic bytes missing)' }] });
    const problems = await screen.findByTestId('team-problems');
    expect(problems.textContent).toBe('Unreadable part, skipped samples/vantage=berlin-office/date=2026-12-01/r9.parquet: not a Parquet file (magic bytes missing)');
    expect(screen.getByTestId('by-vantage-heatmap')).toBeTruthy();
  });
});
