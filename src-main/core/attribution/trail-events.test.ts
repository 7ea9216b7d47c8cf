import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Event as LookupEvent } from '@aws-sdk/client-cloudtrail';
import { trailCallOf } from './trail-events';

/** The parser against CloudTrail's real answer (fixtures/README.md) and the shapes it must survive. */

interface RecordedEvent extends Omit<LookupEvent, 'EventTime'> {
  EventTime: string;
}

const recorded = JSON.parse(readFileSync(new URL('./fixtures/lookup-events.bedrock-converse.us-east-1.json', import.meta.url), 'utf8')) as { Events: RecordedEvent[] };
/** As the SDK hands events over: EventTime a Date. */
const asSdk = (event: RecordedEvent): LookupEvent => ({ ...event, EventTime: new Date(event.EventTime) });
const withDetail = (detail: Record<string, unknown>, eventName = 'ConverseStream'): LookupEvent => ({ EventName: eventName, CloudTrailEvent: JSON.stringify(detail) });

describe('reading a served region from CloudTrail events', () => {
  it('reads every recorded Converse event: its request id, its source region, and the region that served it', () => {
    const calls = recorded.Events.map((event) => trailCallOf(asSdk(event)));
    expect(calls).toHaveLength(10);
    expect(calls[0]).toEqual({
      requestId: '13fca115-5897-48cc-89c7-7e3cb84770c5',
      eventName: 'Converse',
      eventTime: Date.parse('2026-06-02T22:24:15Z'),
      sourceRegion: 'us-east-1',
      servedRegion: 'us-east-2',
      routed: true,
      tier: null,
      errorCode: null,
    });
    expect(new Set(calls.map((call) => call?.servedRegion))).toEqual(new Set(['us-east-2']));
    expect(new Set(calls.map((call) => call?.requestId)).size).toBe(10);
  });

  it('an event without inferenceRegion ran where it was called', () => {
    const call = trailCallOf(withDetail({ requestID: 'r-1', awsRegion: 'eu-west-3', eventTime: '2026-06-02T10:00:00Z', additionalEventData: { inputTokens: 3 } }));
    expect(call).toMatchObject({ sourceRegion: 'eu-west-3', servedRegion: 'eu-west-3', routed: false, eventTime: Date.parse('2026-06-02T10:00:00Z') });
  });

  it('reads the tier as a string or in the response’s {type} shape, and the error code of a refused call', () => {
    expect(trailCallOf(withDetail({ requestID: 'a', awsRegion: 'us-east-1', eventTime: '2026-06-02T10:00:00Z', additionalEventData: { serviceTier: { type: 'flex' } } }))?.tier).toBe('flex');
    expect(trailCallOf(withDetail({ requestID: 'b', awsRegion: 'us-east-1', eventTime: '2026-06-02T10:00:00Z', additionalEventData: { serviceTier: 'priority' } }))?.tier).toBe('priority');
    expect(trailCallOf(withDetail({ requestID: 'c', awsRegion: 'us-east-1', eventTime: '2026-06-02T10:00:00Z', errorCode: 'ThrottlingException' }))?.errorCode).toBe('ThrottlingException');
  });

  it('ignores what cannot be matched, never throws: other events, bad JSON, no request id or region, a non-object', () => {
    const good = { requestID: 'x', awsRegion: 'us-east-1', eventTime: '2026-06-02T10:00:00Z' };
    expect(trailCallOf(withDetail(good, 'ListFoundationModels'))).toBeNull();
    expect(trailCallOf(withDetail(good, 'InvokeModelWithBidirectionalStream'))).toBeNull();
    expect(trailCallOf({ EventName: 'Converse', CloudTrailEvent: '{not json' })).toBeNull();
    expect(trailCallOf({ EventName: 'Converse', CloudTrailEvent: '[1,2]' })).toBeNull();
    expect(trailCallOf({ EventName: 'Converse' })).toBeNull();
    expect(trailCallOf(withDetail({ ...good, requestID: '' }))).toBeNull();
    expect(trailCallOf(withDetail({ ...good, awsRegion: 7 }))).toBeNull();
    expect(trailCallOf(withDetail({ ...good, eventTime: 'yesterday' }))).toBeNull();
    expect(trailCallOf(withDetail({ ...good, additionalEventData: 'routed' }))).toMatchObject({ servedRegion: 'us-east-1', routed: false });
  });

  it('the four runtime operations CloudTrail keeps as management events are read; InvokeModel too', () => {
    for (const name of ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream']) {
      expect(trailCallOf(withDetail({ requestID: name, awsRegion: 'us-east-1', eventTime: '2026-06-02T10:00:00Z' }, name))?.eventName).toBe(name);
    }
  });
});
