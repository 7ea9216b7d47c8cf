import { describe, expect, it } from 'vitest';
import { UsageLog, type InvocationRecord } from './usage-log';

const call = (region: string, modelId: string, at: number): InvocationRecord => ({ region, modelId, at, invocations: 1, throttles: 0, clientErrors: 0, serverErrors: 0 });

describe('the usage log', () => {
  it('keeps records per region and ModelId value, oldest first', () => {
    const log = new UsageLog();
    log.record(call('us-east-1', 'us.amazon.nova-lite-v1:0', 1));
    log.record(call('us-east-1', 'amazon.nova-lite-v1:0', 2));
    log.record(call('eu-west-1', 'us.amazon.nova-lite-v1:0', 3));
    log.record(call('us-east-1', 'us.amazon.nova-lite-v1:0', 4));
    expect(log.of('us-east-1', 'us.amazon.nova-lite-v1:0').map((record) => record.at)).toEqual([1, 4]);
    expect(log.modelIds('us-east-1').sort()).toEqual(['amazon.nova-lite-v1:0', 'us.amazon.nova-lite-v1:0']);
    expect(log.size).toBe(4);
  });

  it('forgets records older than its retention and, past its cap, the oldest of all', () => {
    const log = new UsageLog({ retentionMs: 100, maxRecords: 3 });
    log.record(call('us-east-1', 'a', 0));
    log.record(call('us-east-1', 'b', 50));
    log.record(call('us-east-1', 'a', 120));
    expect(log.of('us-east-1', 'a').map((record) => record.at)).toEqual([120]);
    log.record(call('us-east-1', 'c', 130));
    log.record(call('us-east-1', 'c', 140));
    expect(log.size).toBe(3);
    expect(log.of('us-east-1', 'b')).toEqual([]);
    expect(log.modelIds('us-east-1').sort()).toEqual(['a', 'c']);
  });
});
