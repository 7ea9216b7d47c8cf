// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimeOfDayHeatmap, TimeOfDayRoute } from '../../src-shared/contract/attribution';
import { fakeClient } from '../testing/fake-client';
import { HAIKU } from '../testing/small-catalog';
import { bandOf, heatBands, heatGrid, moveCell } from './heatmap-scale';
import { TimeOfDaySection, userTimeZone } from './TimeOfDayHeatmap';

afterEach(cleanup);

const ROUTE: TimeOfDayRoute = {
  region: 'us-east-1',
  invokeId: HAIKU,
  kind: 'on-demand',
  samples: 60,
  cells: [
    { weekday: 1, hour: 9, p50TtftMs: 310, samples: 20 },
    { weekday: 1, hour: 10, p50TtftMs: 720, samples: 30 },
    { weekday: 3, hour: 9, p50TtftMs: 405, samples: 10 },
  ],
};

function renderHeatmap(answer: TimeOfDayHeatmap) {
  const fake = fakeClient({ timeOfDay: () => Promise.resolve(answer) });
  render(<TimeOfDaySection target={HAIKU} refreshKey={null} />, { wrapper: fake.wrapper });
  return fake;
}

describe('TimeOfDaySection (issue 18 §4)', () => {
  it('asks in the user’s time zone and writes each hour’s p50 in its cell, the slowest and fastest said', async () => {
    const { calls } = renderHeatmap({ timeZone: 'Europe/Paris', routes: [ROUTE] });
    const grid = await screen.findByTestId('tod-grid');
    expect(calls[0]).toEqual({ method: 'timeOfDay', input: { timeZone: userTimeZone(), target: HAIKU } });
    expect(screen.getByTestId('tod-zone').textContent).toBe('in Europe/Paris');
    const cell = (row: number, column: number) => grid.querySelector(`[data-row="${row}"][data-column="${column}"]`) as HTMLElement;
    expect(cell(0, 9).textContent).toBe('310');
    expect(cell(0, 10).textContent).toBe('720');
    expect(cell(2, 9).textContent).toBe('405');
    expect(cell(0, 11).textContent).toBe('');
    expect(cell(0, 10).getAttribute('aria-label')).toBe('Monday 10:00–11:00: p50 TTFT 720 ms from 30 samples');
    expect(cell(0, 11).getAttribute('aria-label')).toBe('Monday 11:00–12:00: no samples');
    expect(screen.getByTestId('tod-reading').textContent).toContain('Slowest Mon 10:00–11:00 (720 ms), fastest Mon 09:00–10:00 (310 ms) · 60 samples in 3 of 168 hours of the week.');
    // A darker blue for the slower hour: the scale's order, with its legend.
    expect(cell(0, 10).style.background).not.toBe(cell(0, 9).style.background);
    expect(screen.getByTestId('tod-legend').textContent).toContain('no samples');
  });

  it('the grid moves by arrow keys, Home/End and PageDown, with a tooltip on the active cell; the toggle writes sample counts', async () => {
    renderHeatmap({ timeZone: 'UTC', routes: [ROUTE] });
    const grid = await screen.findByTestId('tod-grid');
    const active = () => grid.querySelector('[tabindex="0"]') as HTMLElement;
    expect([active().dataset.row, active().dataset.column]).toEqual(['0', '9']);
    fireEvent.keyDown(active(), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(active());
    expect([active().dataset.row, active().dataset.column]).toEqual(['0', '10']);
    expect(screen.getByTestId('tod-tooltip').textContent).toBe('Monday 10:00–11:00: p50 TTFT 720 ms from 30 samples');
    fireEvent.keyDown(active(), { key: 'ArrowDown' });
    fireEvent.keyDown(active(), { key: 'ArrowDown' });
    fireEvent.keyDown(active(), { key: 'ArrowLeft' });
    expect(screen.getByTestId('tod-tooltip').textContent).toBe('Wednesday 09:00–10:00: p50 TTFT 405 ms from 10 samples');
    fireEvent.keyDown(active(), { key: 'End' });
    fireEvent.keyDown(active(), { key: 'PageDown' });
    expect([active().dataset.row, active().dataset.column]).toEqual(['6', '23']);
    fireEvent.click(within(screen.getByRole('radiogroup', { name: 'Figure in each cell' })).getByRole('radio', { name: 'samples' }));
    expect((grid.querySelector('[data-row="0"][data-column="10"]') as HTMLElement).textContent).toBe('30');
  });

  it('picks the route with the most samples first, and another by its select', async () => {
    const other: TimeOfDayRoute = { ...ROUTE, region: 'eu-west-1', samples: 5, cells: [{ weekday: 7, hour: 23, p50TtftMs: 999, samples: 5 }] };
    renderHeatmap({ timeZone: 'UTC', routes: [other, ROUTE] });
    const grid = await screen.findByTestId('tod-grid');
    expect(grid.getAttribute('aria-label')).toContain('us-east-1');
    fireEvent.change(screen.getByLabelText('Route'), { target: { value: `eu-west-1 ${HAIKU}` } });
    expect(screen.getByTestId('tod-grid').querySelector('[data-row="6"][data-column="23"]')?.textContent).toBe('999');
    // One hour measured: no slowest and fastest of one.
    expect(screen.getByTestId('tod-reading').textContent).toBe('5 samples, all in Sun 23:00–00:00 (999 ms): runs at other hours fill in the week.');
  });

  it('no samples yet, and a failed question, each say so', async () => {
    renderHeatmap({ timeZone: 'UTC', routes: [] });
    expect((await screen.findByText(/No stored latency-run samples/)).textContent).toContain('for this target yet');
    cleanup();
    const failing = fakeClient({ timeOfDay: () => Promise.reject(new Error('timeZone is not an IANA time zone')) });
    render(<TimeOfDaySection target={HAIKU} refreshKey={null} />, { wrapper: failing.wrapper });
    expect((await screen.findByRole('alert')).textContent).toBe('timeZone is not an IANA time zone');
  });
});

describe('heatmap scale', () => {
  it('round bands from below the fastest to above the slowest, at most seven, each value in one', () => {
    const bands = heatBands([310, 405, 720]);
    expect(bands.length).toBeLessThanOrEqual(7);
    expect(bands[0]!.from).toBeLessThanOrEqual(310);
    expect(bands.at(-1)!.to).toBeGreaterThan(720);
    for (const value of [310, 405, 720]) {
      const band = bandOf(bands, value)!;
      expect(value >= band.from && value < band.to).toBe(true);
    }
    expect(heatBands([500])).toHaveLength(1);
    expect(heatBands([])).toEqual([]);
  });

  it('a 7 × 24 grid, Monday first; keys stay inside it', () => {
    const grid = heatGrid(ROUTE.cells);
    expect(grid).toHaveLength(7);
    expect(grid[0]![10]?.p50TtftMs).toBe(720);
    expect(moveCell({ row: 0, column: 0 }, 'ArrowLeft')).toEqual({ row: 0, column: 0 });
    expect(moveCell({ row: 6, column: 23 }, 'ArrowDown')).toEqual({ row: 6, column: 23 });
    expect(moveCell({ row: 3, column: 5 }, 'Home', true)).toEqual({ row: 0, column: 0 });
    expect(moveCell({ row: 3, column: 5 }, 'a')).toBeNull();
  });
});
