import { readFileSync } from 'node:fs';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents, type Event, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../core/aws/errors';
import { credentials, hello, readStream, rejection } from '../emulator-harness';
import { EMPTY_SCENARIO, parseScenario, type ScenarioInput } from '../scenario';
import { startEmulator, type RunningEmulator } from '../server';

/**
 * The emulator's CloudTrail through the real `@aws-sdk/client-cloudtrail` (awsJson 1.1) over loopback HTTP: an event
 * for every Bedrock call, in the real recording's shape, with the request id the runtime answered and, for a profile
 * call, the region that served it. The emulator's clock is the test's, so visibility and the rate limit are counted,
 * never timed.
 */

const START = Date.UTC(2026, 5, 2, 22, 20, 0);
let now = START;
let emulator: RunningEmulator;
const clients: { destroy(): void }[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ clock: () => now });
});
afterAll(() => emulator.close());
afterEach(() => {
  now = START;
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  for (const client of clients.splice(0)) client.destroy();
});

const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));
function keep<Client extends { destroy(): void }>(client: Client): Client {
  clients.push(client);
  return client;
}
const runtime = (region: string) => keep(new BedrockRuntimeClient({ region, endpoint: emulator.url, credentials, maxAttempts: 1 }));
const trail = (region: string) => keep(new CloudTrailClient({ region, endpoint: emulator.url, credentials, maxAttempts: 1 }));

const NOVA_LITE_US = 'us.amazon.nova-lite-v1:0';
/** No limit that a test does not mean to meet. */
const UNLIMITED = { ratePerSecond: 10_000 };

async function converse(region: string, modelId: string, maxTokens = 3) {
  const answer = await runtime(region).send(new ConverseCommand({ modelId, messages: hello, inferenceConfig: { maxTokens } }));
  return { answer, requestId: answer.$metadata.requestId! };
}

async function allEvents(region: string, input: LookupEventsCommandInput = {}): Promise<Event[]> {
  const events: Event[] = [];
  for await (const page of paginateLookupEvents({ client: trail(region) }, input)) events.push(...(page.Events ?? []));
  return events;
}

const detail = (event: Event) => JSON.parse(event.CloudTrailEvent!) as Record<string, unknown> & { additionalEventData?: Record<string, unknown> };

const recording = JSON.parse(readFileSync(new URL('../recordings/cloudtrail.lookup-events.bedrock-converse.us-east-1.json', import.meta.url), 'utf8')) as {
  Events: (Record<string, unknown> & { CloudTrailEvent: string })[];
};

describe('an event for every Bedrock call', () => {
  it('in the real record’s shape: the source region’s history, the request id the runtime answered, where it ran and its tokens', async () => {
    given({ cloudtrail: UNLIMITED, routing: [{ profileId: NOVA_LITE_US, weights: { 'us-east-2': 1 } }] });
    const { answer, requestId } = await converse('us-east-1', NOVA_LITE_US, 4);
    const [event, ...others] = await allEvents('us-east-1');
    expect(others).toEqual([]);
    const recorded = recording.Events[0]!;
    expect(Object.keys(event!).sort()).toEqual(Object.keys(recorded).sort());
    expect(event).toMatchObject({ EventName: 'Converse', ReadOnly: 'true', AccessKeyId: credentials.accessKeyId, EventSource: 'bedrock.amazonaws.com', Username: 'Alice', Resources: [] });
    expect(event!.EventTime).toEqual(new Date(START));
    const record = detail(event!);
    // Every field of the real record but the caller's VPC endpoint, in the same order.
    const recordedKeys = Object.keys(JSON.parse(recorded.CloudTrailEvent) as object).filter((key) => !key.startsWith('vpcEndpoint'));
    expect(Object.keys(record)).toEqual(recordedKeys);
    expect(record).toMatchObject({
      eventSource: 'bedrock.amazonaws.com',
      eventName: 'Converse',
      awsRegion: 'us-east-1',
      requestParameters: { modelId: NOVA_LITE_US, inferenceConfig: { maxTokens: 4 } },
      responseElements: null,
      additionalEventData: { inferenceRegion: 'us-east-2', inputTokens: answer.usage!.inputTokens, outputTokens: answer.usage!.outputTokens },
      requestID: requestId,
      eventID: event!.EventId,
      readOnly: true,
      managementEvent: true,
      eventCategory: 'Management',
      recipientAccountId: '123456789012',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/Alice', accessKeyId: credentials.accessKeyId, userName: 'Alice' },
      eventTime: '2026-06-02T22:20:00Z',
      tlsDetails: { clientProvidedHostHeader: 'bedrock-runtime.us-east-1.amazonaws.com' },
    });
    expect(record.userAgent).toMatch(/aws-sdk-js/);
    // Logs stay in the source region: the destination's history has nothing of it.
    expect(await allEvents('us-east-2')).toEqual([]);
  });

  it('a stream, a direct call, a refused call and a control-plane call: each its own event, a direct call without inferenceRegion', async () => {
    given({ cloudtrail: UNLIMITED, accessDenied: [{ region: 'us-east-1', modelId: 'amazon.nova-pro-v1:0' }], routing: [{ weights: { 'us-west-2': 1 } }] });
    const client = runtime('us-east-1');
    const streamed = await client.send(new ConverseStreamCommand({ modelId: NOVA_LITE_US, messages: hello, inferenceConfig: { maxTokens: 2 }, serviceTier: { type: 'flex' } }));
    const read = await readStream(streamed.stream);
    const direct = await converse('us-east-1', 'amazon.nova-lite-v1:0');
    const refused = await rejection(client.send(new ConverseCommand({ modelId: 'amazon.nova-pro-v1:0', messages: hello })));
    const refusedId = (refused.$metadata as { requestId?: string }).requestId;
    const listed = await keep(new BedrockClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 })).send(new ListFoundationModelsCommand({ byProvider: 'Amazon' }));
    const events = await allEvents('us-east-1');
    const byRequest = new Map(events.map((event) => [detail(event).requestID, detail(event)]));
    expect(events).toHaveLength(4);
    expect(byRequest.get(streamed.$metadata.requestId)).toMatchObject({
      eventName: 'ConverseStream',
      requestParameters: { modelId: NOVA_LITE_US, inferenceConfig: { maxTokens: 2 }, serviceTier: { type: 'flex' } },
      additionalEventData: { inferenceRegion: 'us-west-2', inputTokens: read.metadata!.usage!.inputTokens, outputTokens: 2, serviceTier: { type: 'flex' } },
    });
    const directRecord = byRequest.get(direct.requestId)!;
    expect(directRecord.additionalEventData).toEqual({ inputTokens: direct.answer.usage!.inputTokens, outputTokens: direct.answer.usage!.outputTokens });
    expect(byRequest.get(refusedId)).toMatchObject({ errorCode: 'AccessDeniedException', errorMessage: "You don't have access to the model with the specified model ID." });
    expect(byRequest.get(refusedId)).not.toHaveProperty('additionalEventData');
    expect(byRequest.get(listed.$metadata.requestId)).toMatchObject({ eventName: 'ListFoundationModels', requestParameters: { byProvider: 'Amazon' }, tlsDetails: { clientProvidedHostHeader: 'bedrock.us-east-1.amazonaws.com' } });
  });

  it('records nothing for calls that never reached the account: unsigned, or with expired credentials', async () => {
    given({ cloudtrail: UNLIMITED });
    await fetch(`${emulator.url}/model/amazon.nova-lite-v1:0/converse`, { method: 'POST', body: '{}' });
    const expired = keep(new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { accessKeyId: 'ASIAEXPIRED0001', secretAccessKey: 'x' }, maxAttempts: 1 }));
    expect((await rejection(expired.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: hello })))).name).toBe('ExpiredTokenException');
    expect(await allEvents('us-east-1')).toEqual([]);
  });

  it('routes a profile’s requests by the scenario’s weights: 200 requests, each destination’s share within 5 points', async () => {
    const weights = { 'us-east-1': 5, 'us-east-2': 3, 'us-west-2': 2 };
    given({ cloudtrail: UNLIMITED, routing: [{ profileId: NOVA_LITE_US, sourceRegion: 'us-east-1', weights }] });
    const client = runtime('us-east-1');
    const requestIds = new Set<string>();
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => client.send(new ConverseCommand({ modelId: NOVA_LITE_US, messages: hello, inferenceConfig: { maxTokens: 1 } }))));
      for (const answer of answers) requestIds.add(answer.$metadata.requestId!);
    }
    const events = await allEvents('us-east-1', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Converse' }] });
    expect(new Set(events.map((event) => detail(event).requestID))).toEqual(requestIds);
    const served: Record<string, number> = {};
    for (const event of events) {
      const region = detail(event).additionalEventData!.inferenceRegion as string;
      served[region] = (served[region] ?? 0) + 1;
    }
    for (const [region, weight] of Object.entries(weights)) expect(Math.abs(served[region]! / 200 - weight / 10), region).toBeLessThanOrEqual(0.05);
  });

  it('serves each destination’s time to first token: the server-side figure of the requests CloudTrail places there sits at its own configuration', async () => {
    const ttft = { 'us-east-1': 20, 'us-east-2': 90, 'us-west-2': 180 };
    given({ cloudtrail: UNLIMITED, timeToFirstTokenMs: ttft, routing: [{ profileId: NOVA_LITE_US, weights: { 'us-east-1': 1, 'us-east-2': 1, 'us-west-2': 1 } }] });
    const client = runtime('us-east-1');
    const latencyById = new Map<string, number>();
    for (let request = 0; request < 24; request++) {
      const response = await client.send(new ConverseStreamCommand({ modelId: NOVA_LITE_US, messages: hello, inferenceConfig: { maxTokens: 1 } }));
      // One token: the server's latencyMs is the time to first token it served.
      latencyById.set(response.$metadata.requestId!, (await readStream(response.stream)).metadata!.metrics!.latencyMs!);
    }
    const byRegion: Record<string, number[]> = {};
    for (const event of await allEvents('us-east-1')) {
      const record = detail(event);
      (byRegion[record.additionalEventData!.inferenceRegion as string] ??= []).push(latencyById.get(record.requestID as string)!);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    // Timers are only ever late: each median is at or above its own figure and below the next destination's.
    expect(median(byRegion['us-east-1']!)).toBeGreaterThanOrEqual(20);
    expect(median(byRegion['us-east-1']!)).toBeLessThan(90);
    expect(median(byRegion['us-east-2']!)).toBeGreaterThanOrEqual(90);
    expect(median(byRegion['us-east-2']!)).toBeLessThan(180);
    expect(median(byRegion['us-west-2']!)).toBeGreaterThanOrEqual(180);
    expect(Object.values(byRegion).map((values) => values.length)).toEqual([8, 8, 8]);
  });
});

describe('LookupEvents', () => {
  async function calls(count: number, region = 'us-east-1') {
    const ids: string[] = [];
    for (let call = 0; call < count; call++) {
      ids.push((await converse(region, 'amazon.nova-lite-v1:0', 1)).requestId);
      now += 1000;
    }
    return ids;
  }

  it('pages newest first, MaxResults at a time up to 50, each event once; refuses 0 and 51, and a token of another lookup', async () => {
    given({ cloudtrail: UNLIMITED });
    const ids = await calls(7);
    const client = trail('us-east-1');
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new LookupEventsCommand({ MaxResults: 3, ...(token ? { NextToken: token } : {}) }));
      pages.push(page.Events!.map((event) => detail(event).requestID as string));
      token = page.NextToken;
    } while (token);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...ids].reverse());
    for (const MaxResults of [0, 51]) {
      const refused = await rejection(client.send(new LookupEventsCommand({ MaxResults })));
      expect(refused.name).toBe('InvalidMaxResultsException');
    }
    const first = await client.send(new LookupEventsCommand({ MaxResults: 2 }));
    const mismatched = await rejection(client.send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken, LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Converse' }] })));
    expect(mismatched.name).toBe('InvalidNextTokenException');
    expect((await rejection(client.send(new LookupEventsCommand({ NextToken: 'bm90IGEgdG9rZW4=' })))).name).toBe('InvalidNextTokenException');
  });

  it('answers at most 50 a page, or the scenario’s page size, with the paginator following every page', async () => {
    given({ cloudtrail: { ...UNLIMITED, pageSize: 2 } });
    const ids = await calls(5);
    const first = await trail('us-east-1').send(new LookupEventsCommand({ MaxResults: 50 }));
    expect(first.Events).toHaveLength(2);
    expect((await allEvents('us-east-1')).map((event) => detail(event).requestID)).toEqual([...ids].reverse());
  });

  it('matches one lookup attribute exactly and a time window inclusive on the event’s second; refuses two attributes, an unknown key and a window that ends before it starts', async () => {
    given({ cloudtrail: UNLIMITED });
    const ids = await calls(3);
    await keep(new BedrockClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 })).send(new ListFoundationModelsCommand({}));
    const named = (key: string, value: string) => allEvents('us-east-1', { LookupAttributes: [{ AttributeKey: key as 'EventName', AttributeValue: value }] });
    expect(await named('EventName', 'Converse')).toHaveLength(3);
    expect(await named('EventName', 'converse')).toHaveLength(0);
    expect(await named('EventName', 'ListFoundationModels')).toHaveLength(1);
    expect(await named('EventSource', 'bedrock.amazonaws.com')).toHaveLength(4);
    expect(await named('AccessKeyId', credentials.accessKeyId)).toHaveLength(4);
    expect(await named('Username', 'Alice')).toHaveLength(4);
    expect(await named('ReadOnly', 'false')).toHaveLength(0);
    const [one] = await named('EventName', 'Converse');
    expect((await named('EventId', one!.EventId!)).map((event) => event.EventId)).toEqual([one!.EventId]);
    // The calls were at START, START + 1 s and START + 2 s.
    const window = await allEvents('us-east-1', { StartTime: new Date(START + 1000), EndTime: new Date(START + 2000), LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Converse' }] });
    expect(window.map((event) => detail(event).requestID)).toEqual([ids[2], ids[1]]);
    const client = trail('us-east-1');
    const two = await rejection(client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Converse' }, { AttributeKey: 'Username', AttributeValue: 'Alice' }] })));
    expect(two.name).toBe('InvalidLookupAttributesException');
    const unknown = await rejection(client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ModelId' as 'EventName', AttributeValue: 'x' }] })));
    expect(unknown.name).toBe('ValidationException');
    const backwards = await rejection(client.send(new LookupEventsCommand({ StartTime: new Date(START + 1000), EndTime: new Date(START) })));
    expect(backwards.name).toBe('InvalidTimeRangeException');
  });

  it('allows 2 lookups a second per region: the third of a burst is throttled, the next second lets one more through', async () => {
    given({});
    const client = trail('us-east-1');
    const outcomes: string[] = [];
    const attempt = async () => {
      try {
        await client.send(new LookupEventsCommand({}));
        outcomes.push('ok');
      } catch (error) {
        outcomes.push((error as Error).name);
        return error;
      }
      return null;
    };
    await attempt();
    await attempt();
    const throttled = await attempt();
    now += 500;
    await attempt();
    await attempt();
    expect(outcomes).toEqual(['ok', 'ok', 'ThrottlingException', 'ok', 'ThrottlingException']);
    expect(throttled).toMatchObject({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    expect(classifyAwsError(throttled).errorClass).toBe('throttled');
    // Another region has its own limit.
    await trail('eu-west-1').send(new LookupEventsCommand({}));
  });

  it('takes the scenario’s rate', async () => {
    given({ cloudtrail: { ratePerSecond: 5 } });
    const client = trail('us-east-1');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.send(new LookupEventsCommand({}))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
  });

  it('shows an event only once the scenario’s delay has passed since its call ended', async () => {
    given({ cloudtrail: { ...UNLIMITED, delayMs: 5 * 60_000 } });
    const { requestId } = await converse('us-east-1', 'amazon.nova-lite-v1:0', 1);
    expect(await allEvents('us-east-1')).toEqual([]);
    now += 5 * 60_000 - 1;
    expect(await allEvents('us-east-1')).toEqual([]);
    now += 1;
    const [event] = await allEvents('us-east-1');
    expect(detail(event!).requestID).toBe(requestId);
    // Its time is the call's, not the time it became visible.
    expect(event!.EventTime).toEqual(new Date(START));
  });

  it('refuses a region whose caller may not look up (AccessDeniedException) or whose event history is unavailable (UnsupportedOperationException)', async () => {
    given({ cloudtrail: { ...UNLIMITED, denied: ['eu-west-1'], unavailable: ['ap-south-1'] } });
    const denied = await rejection(trail('eu-west-1').send(new LookupEventsCommand({})));
    expect(denied).toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('is not authorized to perform: cloudtrail:LookupEvents') });
    expect(classifyAwsError(denied).errorClass).toBe('accessDenied');
    const unavailable = await rejection(trail('ap-south-1').send(new LookupEventsCommand({})));
    expect(unavailable).toMatchObject({ name: 'UnsupportedOperationException', message: expect.stringMatching(/event history is not available/) });
    expect((await trail('us-east-1').send(new LookupEventsCommand({}))).Events).toEqual([]);
  });

  it('answers duplicated events twice, the same EventId and requestID, each copy once across pages', async () => {
    given({ cloudtrail: { ...UNLIMITED, duplicateEvents: true } });
    const ids = await calls(3);
    const single = await allEvents('us-east-1', { MaxResults: 1 });
    expect(single.map((event) => detail(event).requestID)).toEqual([ids[2], ids[2], ids[1], ids[1], ids[0], ids[0]]);
    expect(single[0]!.EventId).toBe(single[1]!.EventId);
  });

  it('duplicates a seeded share of events, and drops a seeded share or the request ids named, the same ones each lookup', async () => {
    given({ seed: 3, cloudtrail: UNLIMITED });
    const ids = await calls(40);
    // The history outlives a change of scenario: the same calls, looked up under each fault.
    given({ seed: 3, cloudtrail: { ...UNLIMITED, duplicateEvents: 0.5 } });
    const events = await allEvents('us-east-1');
    const twice = ids.filter((id) => events.filter((event) => detail(event).requestID === id).length === 2);
    expect(twice.length).toBeGreaterThan(10);
    expect(twice.length).toBeLessThan(30);
    expect(events).toHaveLength(40 + twice.length);
    expect((await allEvents('us-east-1')).map((event) => event.EventId)).toEqual(events.map((event) => event.EventId));

    given({ seed: 3, cloudtrail: { ...UNLIMITED, dropRequestIds: 0.25 } });
    const kept = (await allEvents('us-east-1')).map((event) => detail(event).requestID);
    expect(kept.length).toBeGreaterThan(20);
    expect(kept.length).toBeLessThan(38);
    expect(new Set(kept).size).toBe(kept.length);

    given({ seed: 3, cloudtrail: { ...UNLIMITED, dropRequestIds: [ids[0]!, ids[39]!] } });
    const found = (await allEvents('us-east-1')).map((event) => detail(event).requestID);
    expect(found).toEqual(ids.slice(1, 39).reverse());
  });

  it('keeps its history through a change of scenario, and forgets it on a reset', async () => {
    given({ cloudtrail: UNLIMITED });
    await calls(2);
    given({ cloudtrail: { ...UNLIMITED, denied: ['eu-west-1'] } });
    expect(await allEvents('us-east-1')).toHaveLength(2);
    emulator.resetStats();
    expect(await allEvents('us-east-1')).toEqual([]);
  });
});
