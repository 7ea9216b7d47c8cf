// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteServerClientTime, ServerSideFigures } from '../../src-shared/contract/attribution';
import { useChartTheme } from '../latency/charts/chart-theme';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, HAIKU_45_US } from '../testing/small-catalog';
import { ServerClientTimeSection } from './ServerClientTime';

afterEach(cleanup);

const WINDOW = { from: '2026-11-23T01:00:00.000Z', to: '2026-11-23T01:02:00.000Z' };

function route(key: string, server: ServerSideFigures, summary: string, patch: Partial<RouteServerClientTime> = {}): RouteServerClientTime {
  const ok = server.status === 'ok';
  return {
    key,
    route: { invokeId: key === 'ap-northeast-1' ? HAIKU : HAIKU_45_US, callRegion: key, kind: key === 'ap-northeast-1' ? 'on-demand' : 'geo-profile' },
    client: { requests: 20, ttftMeanMs: 520, e2eMeanMs: 1400 },
    server,
    overheadMs: { ttft: ok ? 170 : null, e2e: ok ? 160 : null },
    overheadSharePercent: ok ? 32.7 : null,
    summary,
    ...patch,
  };
}

const ok: ServerSideFigures = { status: 'ok', ttftMeanMs: 350, invocationLatencyMeanMs: 1240, invocations: 21, ...WINDOW };

function Section() {
  return <ServerClientTimeSection runId="run-1" theme={useChartTheme()} />;
}

describe('ServerClientTimeSection (issue 18 §3)', () => {
  it('puts CloudWatch’s TTFT and InvocationLatency beside the client’s, the overhead between, and explains it in words', async () => {
    const sentence = 'Bedrock is fast there (350 ms to the first token), the path to it is not: the network and the client add 170 ms, 32.7 % of the 520 ms the client saw.';
    const { wrapper, calls } = fakeClient({ serverClientTime: () => Promise.resolve({ runId: 'run-1', routes: [route('ap-northeast-1', ok, sentence)] }) });
    render(<Section />, { wrapper });
    const table = await screen.findByTestId('server-client-table');
    const cells = [...table.querySelectorAll('tbody tr > *')].map((cell) => cell.textContent);
    expect(cells).toEqual(['ap-northeast-1 · on demand', '20', '520 ms', '1400 ms', '350 ms', '1240 ms', '170 ms', '160 ms', '32.7 %']);
    expect(screen.getByTestId('sct-summaries').textContent).toBe(`ap-northeast-1 · on demand: ${sentence}`);
    expect(screen.getByTestId('chart-server-client')).toBeTruthy();
    expect(calls[0]).toEqual({ method: 'serverClientTime', input: { runId: 'run-1' } });
  });

  it('no CloudWatch data and no permission are said distinctly, never as a zero, and the client’s own figures stay', async () => {
    const noData: ServerSideFigures = { status: 'no-data', message: 'No CloudWatch data yet for us.anthropic.claude-haiku-4-5 in us-east-1: CloudWatch publishes a minute’s metrics a few minutes after it.', ttftMeanMs: null, invocationLatencyMeanMs: null, invocations: null, ...WINDOW };
    const denied: ServerSideFigures = { status: 'denied', message: 'No CloudWatch figures: the caller may not read CloudWatch metrics in us-west-2 (cloudwatch:GetMetricData is not allowed).', ttftMeanMs: null, invocationLatencyMeanMs: null, invocations: null, ...WINDOW };
    const { wrapper } = fakeClient({ serverClientTime: () => Promise.resolve({ runId: 'run-1', routes: [route('us-east-1', noData, noData.message!), route('us-west-2', denied, denied.message!)] }) });
    render(<Section />, { wrapper });
    const missing = await screen.findAllByTestId('sct-none');
    expect(missing.map((cell) => cell.textContent)).toEqual([
      'no CloudWatch data (yet for us.anthropic.claude-haiku-4-5 in us-east-1: CloudWatch publishes a minute’s metrics a few minutes after it.)',
      'CloudWatch not readable (the caller may not read CloudWatch metrics in us-west-2 (cloudwatch:GetMetricData is not allowed).)',
    ]);
    const firstRow = screen.getByTestId('server-client-table').querySelector('tbody tr')!;
    expect(within(firstRow as HTMLElement).getAllByRole('cell').slice(0, 3).map((cell) => cell.textContent)).toEqual(['20', '520 ms', '1400 ms']);
    // Nothing to draw, and no summary repeating the reason.
    expect(screen.queryByTestId('chart-server-client')).toBeNull();
    expect(screen.getByTestId('sct-summaries').textContent).toBe('');
  });

  it('a failed question is an error in words; a run with no answer says there is nothing to compare', async () => {
    const { wrapper } = fakeClient({ serverClientTime: () => Promise.reject(new Error('No latency or load run has the id run-1')) });
    render(<Section />, { wrapper });
    expect((await screen.findByRole('alert')).textContent).toBe('No latency or load run has the id run-1');
    cleanup();
    const empty = fakeClient({ serverClientTime: () => Promise.resolve({ runId: 'run-1', routes: [] }) });
    render(<Section />, { wrapper: empty.wrapper });
    expect((await screen.findByText(/nothing to compare/)).textContent).toBe('No request of this run answered, so there is nothing to compare.');
  });
});
