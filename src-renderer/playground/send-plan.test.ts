import { describe, expect, it } from 'vitest';
import { HAIKU, HAIKU_45, HAIKU_45_US, SMALL_CATALOG } from '../testing/small-catalog';
import { newPaneConfig } from './pane-config';
import { describeSkipped, panesToSend } from './send-plan';

const pane = (target: string, region: string) => ({ config: newPaneConfig(target, region) });

describe('a send skips the panes whose route plan already refuses them (issue 21 §6)', () => {
  it('a bare id flagged "needs a profile" is not sent, and the others are', () => {
    const panes = [pane(HAIKU, 'us-east-1'), pane(HAIKU_45, 'us-east-1'), pane(HAIKU_45_US, 'us-east-1')];
    const { send, skipped } = panesToSend(SMALL_CATALOG, panes, false);
    expect(send).toEqual([panes[0], panes[2]]);
    expect(skipped).toEqual([1]);
    expect(describeSkipped(skipped, panes.length)).toBe('Pane 2 was not sent: its route plan says why, with the fix.');
  });

  it('with "Route automatically" on, the same pane goes through its profile and is sent', () => {
    const panes = [pane(HAIKU_45, 'us-east-1')];
    expect(panesToSend(SMALL_CATALOG, panes, true)).toEqual({ send: panes, skipped: [] });
    expect(describeSkipped([], 1)).toBeNull();
  });

  it('says so when several or all panes are skipped', () => {
    expect(describeSkipped([1, 3], 4)).toBe('Panes 2 and 4 were not sent: each route plan says why, with the fix.');
    expect(describeSkipped([0, 1], 2)).toBe('Nothing was sent: no pane can be called as set (each route plan says why, with the fix). The prompt is kept.');
  });
});
