import { describe, expect, it } from 'vitest';
import { describeCallRegion, describeMeasurement, NOT_MEASURED } from './route-text';

describe('route texts in the cell panel', () => {
  it('names the endpoint to call and why, rather than "via"', () => {
    expect(describeCallRegion({ callRegion: 'us-east-1' }, 'us-east-1')).toBe("call us-east-1's endpoint — the region you are in, so no extra network hop");
    expect(describeCallRegion({ callRegion: 'us-west-2' }, 'us-east-1')).toBe("call us-west-2's endpoint — a cross-region call from us-east-1");
  });

  it('shows the latency lab figures when a route was measured, and says how to get them when not', () => {
    const now = Date.parse('2026-11-23T02:00:00Z');
    expect(describeMeasurement({ ttftP50Ms: 412.4, samples: 20, measuredAt: '2026-11-23T01:48:00Z' }, now)).toBe(
      'time to first token p50 412 ms, last 30 days · 20 samples · measured 12 min ago',
    );
    expect(describeMeasurement({ ttftP50Ms: 90, samples: 1, measuredAt: '2026-11-23T02:00:00Z' }, now)).toBe('time to first token p50 90 ms, last 30 days · 1 sample · measured just now');
    expect(describeMeasurement(undefined, now)).toBe(NOT_MEASURED);
  });
});
