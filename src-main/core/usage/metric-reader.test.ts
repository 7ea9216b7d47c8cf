import { afterEach, describe, expect, it } from 'vitest';
import { AwsClientPool } from '../aws/client-pool';
import { CLOUDWATCH } from '../aws/services';
import { parseScenario } from '../../emulator/scenario';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { MAX_QUERIES_PER_CALL, readMetrics } from './metric-reader';
import { metricQueries, queryId, timeWindow, USAGE_METRICS } from './metrics';

/**
 * GetMetricData as the usage reads it, through the SDK's CloudWatch client against the emulator: at most 500 queries
 * a call, and every page of each batch followed until CloudWatch has no NextToken left. Call counts are the emulator's.
 */

const emulator = emulatorPerFile();
const pools: AwsClientPool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.destroy();
});

async function read(invokeIds: string[], scenario: unknown) {
  emulator.setScenario(parseScenario(scenario));
  const pool = new AwsClientPool({ endpointUrl: emulator.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
  pools.push(pool);
  const readings = await readMetrics(await pool.client(CLOUDWATCH, 'us-east-1'), metricQueries(invokeIds), timeWindow('24h', Date.now()), new AbortController().signal);
  const calls = emulator.stats().requests['us-east-1']?.['monitoring:GetMetricData'] ?? 0;
  return { readings, calls };
}

const INVOCATIONS = USAGE_METRICS.findIndex((metric) => metric.key === 'invocations');
const invocationsOf = (values: Map<string, Map<number, number>>, route: number) => [...(values.get(queryId(route, INVOCATIONS))?.values() ?? [])];

describe('readMetrics', () => {
  it('splits more than 500 queries into calls of at most 500, and reads the routes of every batch', async () => {
    // 60 routes x 9 metrics = 540 queries: one call of 500, one of 40. The first and the last route have data.
    const ids = Array.from({ length: 60 }, (_, index) => `test.model-${index}-v1:0`);
    const { readings, calls } = await read(ids, {
      cloudwatch: {
        usage: [
          { region: 'us-east-1', modelId: ids[0], perMinute: [{ minutesAgo: 2, invocations: 7 }] },
          { region: 'us-east-1', modelId: ids[59], perMinute: [{ minutesAgo: 2, invocations: 9 }] },
        ],
      },
    });
    expect(metricQueries(ids)).toHaveLength(540);
    expect(MAX_QUERIES_PER_CALL).toBe(500);
    expect(calls).toBe(2);
    expect(invocationsOf(readings.values, 0)).toEqual([7]);
    expect(invocationsOf(readings.values, 59)).toEqual([9]);
    expect(readings.failures.size).toBe(0);
  });

  it('follows NextToken to the last page and puts each query\'s datapoints back together', async () => {
    const perMinute = Array.from({ length: 30 }, (_, index) => ({ minutesAgo: index + 1, invocations: index + 1, inputTokens: 100 * (index + 1) }));
    const { readings, calls } = await read(['amazon.nova-lite-v1:0'], { cloudwatch: { pageSize: 7, usage: [{ region: 'us-east-1', modelId: 'amazon.nova-lite-v1:0', perMinute }] } });
    // Every datapoint CloudWatch had (invocations, input tokens and whatever it derives from them), 7 a page.
    const datapoints = [...readings.values.values()].reduce((sum, series) => sum + series.size, 0);
    expect(datapoints).toBeGreaterThanOrEqual(60);
    expect(calls).toBe(Math.ceil(datapoints / 7));
    expect(readings.calls).toBe(calls);
    expect(invocationsOf(readings.values, 0).sort((a, b) => a - b)).toEqual(perMinute.map((minute) => minute.invocations));
  });
});
