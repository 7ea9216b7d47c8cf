// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetStatus } from '../../src-shared/contract/fleet';
import type { SeriesPoint } from '../../src-shared/contract/latency';
import { useChartTheme } from '../latency/charts/chart-theme';
import { HistorySection } from '../latency/HistorySection';
import { RankingTable } from '../latency/RankingTable';
import { fakeClient } from '../testing/fake-client';
import { HAIKU } from '../testing/small-catalog';
import { createFleetWork, type FleetWork } from './fleet-work';
import { NO_STORE, SYNCED } from './fleet-fixtures';
import { FromBar } from './FromBar';
import { useVantageChoice } from './use-fleet';

/** The latency lab's "from" line with the two reads it steers, the history and the ranking, as the page wires them. */

afterEach(cleanup);

const never = () => new Promise<never>(() => {});

function Lab({ work }: { work: FleetWork }) {
  const from = useVantageChoice(work);
  const theme = useChartTheme();
  return (
    <>
      <FromBar choice={from} />
      <HistorySection target={HAIKU} theme={theme} refreshKey={null} vantage={from.vantage} teamStamp={from.stamp} onOpenLoadRun={never} />
      <RankingTable target={HAIKU} regions={['us-east-1', 'us-west-2']} defaultHome="us-east-1" refreshKey={null} vantage={from.vantage} teamStamp={from.stamp} />
    </>
  );
}

const point = (vantage: string, region: string, value: number, minute: number): SeriesPoint => ({ at: new Date(Date.UTC(2026, 11, 6, 12, minute)).toISOString(), region, value, vantage });

function setUp(status: FleetStatus, points: SeriesPoint[] = [], work = createFleetWork()) {
  const fake = fakeClient({
    fleetStatus: async () => status,
    latencySeries: async () => ({ points }),
    historyStatus: async () => ({ state: 'open', path: null, samples: 0, limit: 1_000_000, warnings: [] }),
    rankRoutes: async () => ({ routes: [] }),
    timeOfDay: never,
    latencyHistory: never,
  });
  function Harness() {
    const [shown] = useState(work);
    return <Lab work={shown} />;
  }
  render(<Harness />, { wrapper: fake.wrapper });
  const inputsOf = (method: string) => fake.calls.filter((call) => call.method === method).map((call) => call.input as { vantage?: string });
  return { ...fake, inputsOf, work };
}

describe('the "from" line of the latency lab', () => {
  it('without a team store says so in one line, links to Settings, and offers no vantage to pick', async () => {
    const { inputsOf } = setUp(NO_STORE);
    const line = await screen.findByTestId('fleet-not-set');
    expect(line.textContent).toContain('No team data');
    expect(within(line).getByRole('link', { name: 'set a team store in Settings' }).getAttribute('href')).toBe('#/settings');
    expect(screen.queryByTestId('vantage-select')).toBeNull();
    // This machine's reads stay what they were: no vantage parameter at all.
    await waitFor(() => expect(inputsOf('rankRoutes')).toHaveLength(1));
    expect(inputsOf('latencySeries')[0]).not.toHaveProperty('vantage');
    expect(inputsOf('rankRoutes')[0]).not.toHaveProperty('vantage');
  });

  it('lists this machine, every vantage of the store and all, and a pick re-reads the history and the ranking from it', async () => {
    const { inputsOf } = setUp(SYNCED);
    const select = (await screen.findByLabelText('From')) as HTMLSelectElement;
    expect([...select.options].map((option) => option.textContent)).toEqual(['this machine', 'berlin-office', 'ecs-us-west-2', 'vpc-ap-southeast-2', 'all (4 vantages)']);
    expect(select.value).toBe('local');
    fireEvent.change(select, { target: { value: 'ecs-us-west-2' } });
    await waitFor(() => expect(inputsOf('rankRoutes').at(-1)).toMatchObject({ vantage: 'ecs-us-west-2' }));
    await waitFor(() => expect(inputsOf('latencySeries').at(-1)).toMatchObject({ vantage: 'ecs-us-west-2' }));
    expect(screen.getByTestId('ranking-basis').textContent).toContain('from ecs-us-west-2');
    expect(screen.getByTestId('history').textContent).toContain('No samples of this target from ecs-us-west-2');
  });

  it('with all, draws one line per vantage to one region, the most sampled region first', async () => {
    const points = [
      point('local', 'us-east-1', 400, 1),
      point('ecs-us-west-2', 'us-east-1', 300, 2),
      point('ecs-us-west-2', 'us-west-2', 210, 3),
      point('berlin-office', 'us-east-1', 390, 4),
      point('berlin-office', 'us-east-1', 392, 5),
    ];
    const work = createFleetWork();
    work.from.set('all');
    const { inputsOf } = setUp(SYNCED, points, work);
    const region = (await screen.findByLabelText('To region')) as HTMLSelectElement;
    expect(inputsOf('latencySeries').at(-1)).toMatchObject({ vantage: 'all' });
    expect(region.value).toBe('us-east-1');
    const legend = () => [...screen.getByRole('list', { name: 'TTFT history legend' }).querySelectorAll('li')].map((item) => item.textContent);
    expect(legend()).toEqual(['this machine', 'ecs-us-west-2', 'berlin-office']);
    fireEvent.change(region, { target: { value: 'us-west-2' } });
    expect(legend()).toEqual(['ecs-us-west-2']);
  });

  it('names an unreachable store and keeps the data synced before it', async () => {
    const unreachable: FleetStatus = { ...SYNCED, problems: [{ kind: 'unreachable', message: 'NoSuchBucket: the bucket team-latency does not exist' }] };
    setUp(unreachable);
    const problem = await screen.findByTestId('fleet-unreachable');
    expect(problem.textContent).toContain('the data synced before is shown');
    expect(problem.textContent).toContain('NoSuchBucket: the bucket team-latency does not exist');
    // The vantages synced before are still there to pick.
    expect(screen.getByLabelText('From')).toBeTruthy();
  });

  it('counts the parts read only in part: corrupt and newer-schema', async () => {
    const partial: FleetStatus = {
      ...SYNCED,
      problems: [
        { kind: 'corrupt', part: 'samples/vantage=berlin-office/date=2026-12-01/r1.parquet', message: 'not a Parquet file' },
        { kind: 'corrupt', part: 'samples/vantage=berlin-office/date=2026-12-02/r2.parquet', message: 'torn' },
        { kind: 'newer-schema', part: 'samples/vantage=ecs-us-west-2/date=2026-12-03/r3.parquet', message: 'schema 3' },
      ],
    };
    setUp(partial);
    expect((await screen.findByTestId('fleet-part-problems')).textContent).toBe(
      'Read in part: 2 parts unreadable, skipped; 1 part written by a newer Bedrock Atlas (read for the columns this version knows). Which parts',
    );
  });

  it('falls back to this machine when the picked vantage is no longer in the store', async () => {
    const work = createFleetWork();
    work.from.set('gone-vantage');
    const { inputsOf } = setUp(SYNCED, [], work);
    const select = (await screen.findByLabelText('From')) as HTMLSelectElement;
    expect(select.value).toBe('local');
    await waitFor(() => expect(inputsOf('rankRoutes').length).toBeGreaterThan(0));
    expect(inputsOf('rankRoutes').every((input) => !('vantage' in input))).toBe(true);
  });
});
