import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { credentials, hello, pooledHandler, readStream } from './emulator-harness';
import { EMPTY_SCENARIO, parseScenario } from './scenario';
import { startEmulator, type RunningEmulator } from './server';

/**
 * CloudWatch's TimeToFirstToken and InvocationLatency are Bedrock's own time: from the request's arrival to the first
 * token and to the end, without the network path. The emulator waits each request's round trip before its service
 * time starts, so a client's TTFT exceeds the published one by at least the round trip, and the published figure
 * holds only the service's share. Asserted as orders and bounds with wide margins, never as elapsed times.
 */

const NOW = Date.UTC(2026, 10, 20, 12, 0, 30);
let emulator: RunningEmulator;
const clients: { destroy(): void }[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ clock: () => NOW });
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  for (const client of clients.splice(0)) client.destroy();
});

async function measured(modelId: string, count: number) {
  const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1, requestHandler: pooledHandler('http1') });
  clients.push(client);
  // A warm connection first, so no handshake sits in what follows.
  await readStream((await client.send(new ConverseStreamCommand({ modelId, messages: hello, inferenceConfig: { maxTokens: 1 } }))).stream);
  const calls: { ttftMs: number; e2eMs: number }[] = [];
  for (let call = 0; call < count; call++) {
    const started = performance.now();
    const read = await readStream((await client.send(new ConverseStreamCommand({ modelId, messages: hello, inferenceConfig: { maxTokens: 5 } }))).stream);
    calls.push({ ttftMs: read.arrivals[0]! - started, e2eMs: performance.now() - started });
  }
  return calls;
}

async function published(modelId: string, metric: 'TimeToFirstToken' | 'InvocationLatency', stat: 'Minimum' | 'Maximum') {
  const watch = new CloudWatchClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 });
  clients.push(watch);
  const answer = await watch.send(
    new GetMetricDataCommand({
      StartTime: new Date(NOW - 10 * 60_000),
      EndTime: new Date(NOW + 60_000),
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/Bedrock', MetricName: metric, Dimensions: [{ Name: 'ModelId', Value: modelId }] }, Period: 600, Stat: stat } }],
    }),
  );
  return answer.MetricDataResults![0]!.Values![0]!;
}

describe('CloudWatch’s server time', () => {
  it('leaves the round trip out: the client’s TTFT and E2E exceed the published ones by at least the round trip', async () => {
    // The client sees 450 ms to the first token, 400 of them the round trip: the service's share is 50 ms.
    emulator.setScenario(parseScenario({ roundTripMs: { 'us-east-1': 400 }, timeToFirstTokenMs: { 'us-east-1': 450 }, perTokenMs: { '*': 5 } }));
    const calls = await measured('amazon.nova-lite-v1:0', 3);
    const slowestTtft = await published('amazon.nova-lite-v1:0', 'TimeToFirstToken', 'Maximum');
    const quickestTtft = await published('amazon.nova-lite-v1:0', 'TimeToFirstToken', 'Minimum');
    const slowestLatency = await published('amazon.nova-lite-v1:0', 'InvocationLatency', 'Maximum');
    expect(quickestTtft).toBeGreaterThanOrEqual(50);
    // Were the round trip inside, every published TTFT would be 450 or more.
    expect(slowestTtft).toBeLessThan(400);
    expect(slowestLatency).toBeGreaterThanOrEqual(50 + 4 * 5);
    for (const call of calls) {
      expect(call.ttftMs).toBeGreaterThanOrEqual(450);
      // Client TTFT − server TTFT ≥ the round trip, for the quickest server figure and so for every one.
      expect(call.ttftMs - quickestTtft).toBeGreaterThanOrEqual(400);
      expect(call.e2eMs).toBeGreaterThanOrEqual(400 + 50 + 4 * 5);
    }
  });

  it('is the destination’s service time for a profile request served elsewhere, under the profile id called', async () => {
    // us-west-2 serves the profile: its callers see 330 ms, 300 the round trip; the caller in us-east-1 pays 20 ms.
    emulator.setScenario(
      parseScenario({
        roundTripMs: { 'us-east-1': 20, 'us-west-2': 300 },
        timeToFirstTokenMs: { 'us-east-1': 500, 'us-west-2': 330 },
        routing: [{ profileId: 'us.amazon.nova-lite-v1:0', weights: { 'us-west-2': 1 } }],
      }),
    );
    const calls = await measured('us.amazon.nova-lite-v1:0', 2);
    const quickest = await published('us.amazon.nova-lite-v1:0', 'TimeToFirstToken', 'Minimum');
    const slowest = await published('us.amazon.nova-lite-v1:0', 'TimeToFirstToken', 'Maximum');
    expect(quickest).toBeGreaterThanOrEqual(30);
    // Neither us-east-1's 480 ms of service time nor us-west-2's round trip.
    expect(slowest).toBeLessThan(300);
    for (const call of calls) expect(call.ttftMs).toBeGreaterThanOrEqual(20 + 30);
  });
});
