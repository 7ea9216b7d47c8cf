import { GetMetricDataCommand, ListMetricsCommand, type CloudWatchClient, type GetMetricDataCommandInput, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { poolPerFile } from '../../testing/pool-per-file';
import { classifyAwsError } from '../../core/aws/errors';
import { CLOUDWATCH } from '../../core/aws/services';
import { credentials, hello, readStream, rejection } from '../emulator-harness';
import { parseScenario, type ScenarioInput } from '../scenario';

/**
 * The emulator's CloudWatch through the real `@aws-sdk/client-cloudwatch` (awsJson 1.0, query-compatible errors),
 * over loopback HTTP: the AWS/Bedrock metrics of what the emulator served, and the scenario's seeded series. The
 * emulator's clock is set by the test, so "minutes ago" is exact.
 */

const NOW = Date.UTC(2026, 3, 21, 12, 30, 15);
const MINUTE = 60_000;
const minuteStart = Math.floor(NOW / MINUTE) * MINUTE;

const emulator = emulatorPerFile({ clock: () => NOW });
const clients = poolPerFile(emulator, 'AKIDWATCH');
const runtimes: BedrockRuntimeClient[] = [];
afterEach(() => {
  for (const client of runtimes.splice(0)) client.destroy();
});

const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));
const watch = (region: string): Promise<CloudWatchClient> => clients().client(CLOUDWATCH, region);
const runtime = (region: string) => {
  const client = new BedrockRuntimeClient({ region, endpoint: emulator.url, credentials, maxAttempts: 1 });
  runtimes.push(client);
  return client;
};

function query(id: string, metric: string, modelId: string, stat = 'Sum', period = 60): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: 'AWS/Bedrock', MetricName: metric, Dimensions: [{ Name: 'ModelId', Value: modelId }] }, Period: period, Stat: stat } };
}

const lastHour = { StartTime: new Date(NOW - 60 * MINUTE), EndTime: new Date(NOW + MINUTE) };

async function metricData(region: string, queries: MetricDataQuery[], extra: Partial<GetMetricDataCommandInput> = {}) {
  return (await watch(region)).send(new GetMetricDataCommand({ MetricDataQueries: queries, ...lastHour, ...extra }));
}

/** Every page, merged per query id in page order. */
async function allPages(region: string, queries: MetricDataQuery[], extra: Partial<GetMetricDataCommandInput> = {}) {
  const merged = new Map<string, { timestamps: number[]; values: number[]; statuses: string[] }>();
  const pages: MetricDataResult[][] = [];
  let token: string | undefined;
  do {
    const answer = await metricData(region, queries, { ...extra, ...(token ? { NextToken: token } : {}) });
    pages.push(answer.MetricDataResults!);
    for (const result of answer.MetricDataResults!) {
      const entry = merged.get(result.Id!) ?? { timestamps: [], values: [], statuses: [] };
      entry.timestamps.push(...result.Timestamps!.map((at) => at.getTime()));
      entry.values.push(...result.Values!);
      entry.statuses.push(result.StatusCode!);
      merged.set(result.Id!, entry);
    }
    token = answer.NextToken;
  } while (token);
  return { merged, pages };
}

const series = (minutes: number[], extra: Record<string, number> = {}) => minutes.map((minutesAgo) => ({ minutesAgo, invocations: 2, inputTokens: 1000 + minutesAgo, outputTokens: 100, ...extra }));

describe('CloudWatch GetMetricData over what the emulator served', () => {
  it('a Converse call on a profile id shows up under that profile id: one invocation and its tokens in the minute it was served', async () => {
    const profile = 'us.amazon.nova-lite-v1:0';
    const answer = await runtime('us-east-1').send(new ConverseCommand({ modelId: profile, messages: hello }));
    const usage = answer.usage!;
    const results = (
      await metricData('us-east-1', [
        query('calls', 'Invocations', profile),
        query('input', 'InputTokenCount', profile),
        query('output', 'OutputTokenCount', profile),
        query('quota', 'EstimatedTPMQuotaUsage', profile),
        query('latency', 'InvocationLatency', profile, 'SampleCount'),
        query('ttft', 'TimeToFirstToken', profile, 'SampleCount'),
        query('base', 'Invocations', 'amazon.nova-lite-v1:0'),
      ])
    ).MetricDataResults!;
    const byId = Object.fromEntries(results.map((result) => [result.Id, result]));
    expect(byId.calls).toMatchObject({ Label: 'Invocations', StatusCode: 'Complete', Values: [1], Timestamps: [new Date(minuteStart)] });
    expect(byId.input!.Values).toEqual([usage.inputTokens]);
    expect(byId.output!.Values).toEqual([usage.outputTokens]);
    expect(byId.quota!.Values).toEqual([usage.inputTokens! + usage.outputTokens!]);
    expect(byId.latency!.Values).toEqual([1]);
    // TimeToFirstToken is published for streaming calls only; the bare model id was not what was called.
    expect(byId.ttft!.Values).toEqual([]);
    expect(byId.base!.Values).toEqual([]);
    // Another region saw nothing.
    expect((await metricData('us-west-2', [query('calls', 'Invocations', profile)])).MetricDataResults![0]!.Values).toEqual([]);
  });

  it('a stream publishes its time to first token, and a 5x burndown model its output five times in the quota estimate', async () => {
    const profile = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const streamed = await readStream((await runtime('us-east-1').send(new ConverseStreamCommand({ modelId: profile, messages: hello }))).stream);
    const usage = streamed.metadata!.usage!;
    const results = (await metricData('us-east-1', [query('quota', 'EstimatedTPMQuotaUsage', profile), query('ttft', 'TimeToFirstToken', profile, 'SampleCount')])).MetricDataResults!;
    expect(results[0]!.Values).toEqual([usage.inputTokens! + 5 * usage.outputTokens!]);
    expect(results[1]!.Values).toEqual([1]);
  });

  it('a throttled call counts as a throttle, not an invocation', async () => {
    given({ throttle: [{ region: 'us-east-1', operation: 'Converse', firstN: 1 }] });
    const client = runtime('us-east-1');
    await rejection(client.send(new ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages: hello })));
    await client.send(new ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages: hello }));
    const results = (await metricData('us-east-1', [query('calls', 'Invocations', 'amazon.nova-micro-v1:0'), query('throttles', 'InvocationThrottles', 'amazon.nova-micro-v1:0')])).MetricDataResults!;
    expect(results.map((result) => result.Values)).toEqual([[1], [1]]);
  });
});

describe('seeded series', () => {
  it('come back with exactly the seeded minutes, newest first; minutes not seeded have no datapoint', async () => {
    given({ cloudwatch: { usage: [{ region: 'eu-west-1', modelId: 'eu.amazon.nova-lite-v1:0', perMinute: series([0, 1, 5, 30]) }] } });
    const [calls, input] = (await metricData('eu-west-1', [query('calls', 'Invocations', 'eu.amazon.nova-lite-v1:0'), query('input', 'InputTokenCount', 'eu.amazon.nova-lite-v1:0')])).MetricDataResults!;
    expect(calls!.Timestamps!.map((at) => at.getTime())).toEqual([0, 1, 5, 30].map((ago) => minuteStart - ago * MINUTE));
    expect(calls!.Values).toEqual([2, 2, 2, 2]);
    expect(input!.Values).toEqual([1000, 1001, 1005, 1030]);
    const ascending = await metricData('eu-west-1', [query('calls', 'Invocations', 'eu.amazon.nova-lite-v1:0')], { ScanBy: 'TimestampAscending' });
    expect(ascending.MetricDataResults![0]!.Timestamps!.map((at) => at.getTime())).toEqual([30, 5, 1, 0].map((ago) => minuteStart - ago * MINUTE));
  });

  it('aggregate per period with the asked statistic: hours over 14 days, averages and percentiles per call', async () => {
    given({
      cloudwatch: {
        usage: [{ region: 'us-east-2', modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', perMinute: [{ minutesAgo: 0, invocations: 1, latencyMs: 900 }, { minutesAgo: 1, invocations: 3, latencyMs: 100 }, { minutesAgo: 3 * 60, invocations: 4, outputTokens: 40 }] }],
      },
    });
    const model = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const window = { StartTime: new Date(NOW - 14 * 24 * 60 * MINUTE), EndTime: new Date(NOW + MINUTE) };
    const hourly = await metricData('us-east-2', [query('calls', 'Invocations', model, 'Sum', 3600), query('average', 'InvocationLatency', model, 'Average', 3600), query('p99', 'InvocationLatency', model, 'p99', 3600), query('quota', 'EstimatedTPMQuotaUsage', model, 'Sum', 3600)], window);
    const [calls, average, p99, quota] = hourly.MetricDataResults!;
    const hour = (ms: number) => Math.floor(ms / 3_600_000) * 3_600_000;
    const buckets = [...new Set([hour(minuteStart), hour(minuteStart - MINUTE)])];
    expect(calls!.Timestamps!.map((at) => at.getTime())).toEqual([...buckets, hour(minuteStart - 3 * 60 * MINUTE)]);
    expect(calls!.Values!.reduce((sum, value) => sum + value, 0)).toBe(8);
    expect(average!.Values![0]).toBe(buckets.length === 1 ? (900 + 3 * 100) / 4 : 900);
    expect(p99!.Values![0]).toBe(900);
    // 40 output tokens of a 5x burndown model: 200 tokens of quota.
    expect(quota!.Values).toEqual([200]);
  });
});

describe('limits and pages', () => {
  it('pages datapoints at the scenario page size, marks a cut result PartialData, and the pages add up to the whole', async () => {
    const model = 'us.amazon.nova-lite-v1:0';
    given({ cloudwatch: { pageSize: 3, usage: [{ region: 'us-east-1', modelId: model, perMinute: series([0, 2, 4, 6, 8]) }] } });
    const queries = [query('calls', 'Invocations', model), query('input', 'InputTokenCount', model), query('none', 'Invocations', 'amazon.titan-nothing')];
    const { merged, pages } = await allPages('us-east-1', queries);
    expect(pages.map((results) => results.map((result) => `${result.Id}:${result.Values!.length}:${result.StatusCode}`))).toEqual([
      ['calls:3:PartialData', 'none:0:Complete'],
      ['calls:2:Complete', 'input:1:PartialData'],
      ['input:3:PartialData'],
      ['input:1:Complete'],
    ]);
    expect(merged.get('calls')!.timestamps).toEqual([0, 2, 4, 6, 8].map((ago) => minuteStart - ago * MINUTE));
    expect(merged.get('input')!.values).toEqual([1000, 1002, 1004, 1006, 1008]);
    // MaxDatapoints pages the same way without the scenario.
    given({ cloudwatch: { usage: [{ region: 'us-east-1', modelId: model, perMinute: series([0, 2, 4, 6, 8]) }] } });
    const byMaxDatapoints = await allPages('us-east-1', queries, { MaxDatapoints: 4 });
    expect(byMaxDatapoints.pages).toHaveLength(3);
    expect(byMaxDatapoints.merged.get('input')!.values).toEqual([1000, 1002, 1004, 1006, 1008]);
  });

  it('refuses a token it did not hand out, or one from other queries', async () => {
    const model = 'us.amazon.nova-lite-v1:0';
    given({ cloudwatch: { pageSize: 1, usage: [{ region: 'us-east-1', modelId: model, perMinute: series([0, 1]) }] } });
    const first = await metricData('us-east-1', [query('calls', 'Invocations', model)]);
    expect(first.NextToken).toBeDefined();
    const forged = await rejection(metricData('us-east-1', [query('calls', 'Invocations', model)], { NextToken: 'AAAA' }));
    expect(forged.name).toBe('InvalidNextToken');
    const otherQueries = await rejection(metricData('us-east-1', [query('input', 'InputTokenCount', model)], { NextToken: first.NextToken }));
    expect(otherQueries.name).toBe('InvalidNextToken');
  });

  it('takes 500 queries and refuses 501 (ValidationError in the query protocol words); refuses a window that ends before it starts', async () => {
    const queries = (count: number) => Array.from({ length: count }, (_, index) => query(`q${index}`, 'Invocations', 'amazon.nova-lite-v1:0'));
    expect((await metricData('us-east-1', queries(500))).MetricDataResults).toHaveLength(500);
    const tooMany = await rejection(metricData('us-east-1', queries(501)));
    // The SDK names it from __type and keeps the query protocol's code (x-amzn-query-error) beside it.
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.Code).toBe('ValidationError');
    expect(tooMany.message).toMatch(/must not have a size greater than 500/);
    const backwards = await rejection(metricData('us-east-1', queries(1), { StartTime: new Date(NOW), EndTime: new Date(NOW - MINUTE) }));
    expect(backwards.name).toBe('InvalidParameterValueException');
  });
});

describe('refused and failing regions', () => {
  it('a denied region answers AccessDenied (403) for GetMetricData, a failing one InternalServiceFault (500); the others answer', async () => {
    given({ cloudwatch: { denied: ['ap-south-1'], failing: ['eu-north-1'] } });
    const denied = await rejection(metricData('ap-south-1', [query('calls', 'Invocations', 'amazon.nova-lite-v1:0')]));
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(denied.message).toMatch(/not authorized to perform: cloudwatch:GetMetricData/);
    expect(classifyAwsError(denied).errorClass).toBe('accessDenied');
    const failing = await rejection(metricData('eu-north-1', [query('calls', 'Invocations', 'amazon.nova-lite-v1:0')]));
    expect(failing.name).toBe('InternalServiceFault');
    expect(failing.$metadata?.httpStatusCode).toBe(500);
    expect((await metricData('us-east-1', [query('calls', 'Invocations', 'amazon.nova-lite-v1:0')])).MetricDataResults![0]!.StatusCode).toBe('Complete');
  });
});

describe('ListMetrics', () => {
  it('lists the Bedrock metrics that have data, per ModelId value', async () => {
    given({ cloudwatch: { usage: [{ region: 'us-west-2', modelId: 'us.amazon.nova-lite-v1:0', perMinute: [{ minutesAgo: 3, invocations: 1, inputTokens: 5 }] }] } });
    const { Metrics } = await (await watch('us-west-2')).send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' }));
    expect(Metrics!.map((metric) => `${metric.MetricName} ${metric.Dimensions![0]!.Value}`)).toEqual(['Invocations us.amazon.nova-lite-v1:0', 'InputTokenCount us.amazon.nova-lite-v1:0', 'EstimatedTPMQuotaUsage us.amazon.nova-lite-v1:0']);
  });
});
