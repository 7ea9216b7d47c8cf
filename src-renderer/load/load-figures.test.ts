import { describe, expect, it } from 'vitest';
import { level, QUOTA } from '../testing/load-fixtures';
import { kneeSentence, latencyPoints, levelNotes, loadAxisScale, quotaSentence, throttlePoints, throughputPoints } from './load-figures';

describe('load figures', () => {
  it('open loop: the ideal throughput is the offered rate', () => {
    const levels = [level(0, { ratePerSecond: 1 }, { achievedRps: 0.98 }), level(1, { ratePerSecond: 4 }, { achievedRps: 2.5, goodputRps: 1 })];
    expect(throughputPoints(levels).map(({ offered, achieved, ideal, goodput }) => ({ offered, achieved, ideal, goodput }))).toEqual([
      { offered: 1, achieved: 0.98, ideal: 1, goodput: 2 },
      { offered: 4, achieved: 2.5, ideal: 4, goodput: 1 },
    ]);
  });

  it('closed loop: the ideal scales the first level’s rate per request in flight; none when the first level answered nothing', () => {
    const levels = [level(0, { concurrency: 2 }, { achievedRps: 3 }), level(1, { concurrency: 8 }, { achievedRps: 7 })];
    expect(throughputPoints(levels).map((point) => point.ideal)).toEqual([3, 12]);
    expect(throughputPoints([level(0, { concurrency: 2 }, { achievedRps: 0 }), level(1, { concurrency: 8 })]).map((point) => point.ideal)).toEqual([null, null]);
  });

  it('throttles and other errors in percent of the requests sent', () => {
    const errors = { ...level(0, { concurrency: 1 }).errors, throttled: 5, timeout: 2 };
    expect(throttlePoints([level(0, { concurrency: 1 }, { sent: 40, throttleRate: 0.125, errors })])).toEqual([{ offered: 1, label: '1 in flight', throttledPercent: 12.5, otherErrorsPercent: 5, sent: 40 }]);
  });

  it('a level without answers has no latency point; levels that double go on a log axis', () => {
    expect(latencyPoints([level(0, { concurrency: 1 }), level(1, { concurrency: 2 }, { ttftMs: null })], 'ttftMs').map((point) => point.offered)).toEqual([1]);
    expect(loadAxisScale([1, 2, 4, 8])).toBe('log');
    expect(loadAxisScale([1, 2, 3, 4])).toBe('linear');
    expect(loadAxisScale([1, 16])).toBe('linear');
  });

  it('names the knee with its level and the core’s reason, or says there is none through the last level', () => {
    const levels = [level(0, { concurrency: 1 }), level(1, { concurrency: 2 })];
    expect(kneeSentence({ levelIndex: 1, reason: 'p90 TTFT 812 ms, 2.3× the first level’s 350 ms (2× or more)' }, levels)).toBe(
      'Knee at level 2 (2 in flight): p90 TTFT 812 ms, 2.3× the first level’s 350 ms (2× or more).',
    );
    expect(kneeSentence(null, levels)).toBe('No knee through 2 in flight: throttles stayed at or under 1 % and p90 TTFT under 2× the first level’s at every level.');
    expect(kneeSentence(null, [])).toBe('No level ran, so there is no knee to find.');
  });

  it('says the quota’s rate and which quota binds, or why there is no line', () => {
    expect(quotaSentence(QUOTA)).toBe('The route’s quota allows about 2 requests per second (120 requests per minute; 100,000 tokens per minute at 200 tokens a request (input + max tokens, as Bedrock reserves them)); the requests per minute quota binds.');
    expect(quotaSentence({ ...QUOTA, status: 'unreadable', ratePerSecond: null, message: 'servicequotas:ListServiceQuotas is denied' })).toBe('The route’s quotas could not be read: servicequotas:ListServiceQuotas is denied.');
    expect(quotaSentence({ ...QUOTA, status: 'none', ratePerSecond: null, requestsPerMinute: null, tokensPerMinute: null })).toBe('No requests or tokens per minute quota was found for this route.');
  });

  it('a partial level says why it stopped; a sender behind its schedule says so', () => {
    const late = level(0, { ratePerSecond: 50 }, {
      status: 'partial',
      stoppedBy: 'maxRequests',
      schedule: { arrivals: 'poisson', sent: 100, meanInterArrivalMs: 21, intendedInterArrivalMs: 20, lateSends: 12, p99LatenessMs: 35.4, maxLatenessMs: 50, fellBehind: true },
    });
    expect(levelNotes(late)).toEqual(['partial: the request budget was reached', 'fell behind schedule: 12 of 100 sends late, p99 35 ms late (latency counts from the scheduled time)']);
    expect(levelNotes(level(0, { concurrency: 1 }))).toEqual([]);
  });
});
