// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { level } from '../testing/load-fixtures';
import { HAIKU_45_US } from '../testing/small-catalog';
import { LoadProgressTable } from './LoadProgressTable';

afterEach(cleanup);

describe('LoadProgressTable', () => {
  it('shows each level: finished ones with their p50 (a throttled one marked), the running one with its requests, those to come', () => {
    const finished = [level(0, { concurrency: 1 }), level(1, { concurrency: 2 }, { throttleRate: 0.05 })];
    const progress = {
      key: 'us-east-1',
      route: { invokeId: HAIKU_45_US, callRegion: 'us-east-1', kind: 'geo-profile' as const },
      levelIndex: 2,
      levelCount: 4,
      offered: { concurrency: 4 },
      phase: 'running' as const,
      sent: 12,
      done: 9,
      errors: 1,
      throttled: 1,
      p50TtftMs: 333.4,
      lateSends: 0,
      finishedLevels: finished,
    };
    render(
      <LoadProgressTable
        view={{ 'us-east-1': { progress, levelSeenAt: 1_000 } }}
        started={{ levels: [1, 2, 4, 8].map((concurrency) => ({ concurrency })), stepDurationMs: 10_000, stepRequests: null }}
        cancelled={false}
        now={5_000}
      />,
    );
    const steps = within(screen.getByRole('list', { name: 'Levels of us-east-1' })).getAllByRole('listitem');
    expect(steps.map((step) => step.textContent)).toEqual(['1 ✓ 300 ms', '2 ✓ 310 ms · 5 % throttled', '4 ▶', '8']);
    expect(steps[1]!.className).toContain('load-step-throttled');
    const row = screen.getByTestId('load-progress').querySelector('tr[data-route="us-east-1"]') as HTMLElement;
    expect([...row.children].map((cell) => cell.textContent)).toEqual(['us-east-1', '1 ✓ 300 ms2 ✓ 310 ms · 5 % throttled4 ▶8', ' 4 of 10 s', '9 / 12', '1 (1 throttled)', '333 ms']);
    expect(screen.getByRole('columnheader', { name: 'Levels (in flight)' })).toBeTruthy();
  });
});
