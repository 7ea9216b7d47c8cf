import { createHash } from 'node:crypto';
import { z } from 'zod';
import { matchesRegion } from '../scenario';
import { TokenBucket } from '../token-bucket';
import type { LookupEvent } from '../trail-events';
import type { VisibleEvent } from '../trail-log';
import { regionalPreamble } from './context';
import { decodePageToken, encodePageToken, parseInput, sendJsonResult } from './json-protocol';
import { QueryError } from './query-protocol';
import type { EmulatedService, ServiceCall } from './service';

/**
 * CloudTrail's LookupEvents (awsJson 1.1, target `CloudTrail_20131101`, signed `cloudtrail`) over the event history
 * the emulator keeps of its Bedrock calls (trail-log.ts): the events of the region asked, newest first, at most one
 * lookup attribute, StartTime and EndTime inclusive on the event's second, at most 50 a page with a NextToken that
 * only continues the same lookup. "The rate of lookup requests is limited to two per second, per account, per
 * Region. If this limit is exceeded, a throttling error occurs" (the API reference): a token bucket on the
 * emulator's clock, the scenario's `cloudtrail.ratePerSecond`, answers AWS's common ThrottlingException beyond it.
 */

const MAX_RESULTS = 50;
const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

/** awsJson 1.1 timestamps are epoch seconds; a date string is read too. Kept in seconds, as events are. */
const Timestamp = z.union([z.number(), z.string().min(1)]).transform((value, context) => {
  const seconds = typeof value === 'number' ? value : Date.parse(value) / 1000;
  if (Number.isNaN(seconds)) context.addIssue({ code: 'custom', message: 'Member must be a timestamp' });
  return seconds;
});
const LookupEventsInput = z.object({
  LookupAttributes: z.array(z.object({ AttributeKey: z.string(), AttributeValue: z.string() })).optional(),
  StartTime: Timestamp.optional(),
  EndTime: Timestamp.optional(),
  EventCategory: z.string().optional(),
  MaxResults: z.number().optional(),
  NextToken: z.string().optional(),
});
type Input = z.output<typeof LookupEventsInput>;

const error = (code: string, message: string, status = 400) => new QueryError(status, code, message);

/** The single attribute to match, checked as CloudTrail checks it. */
function attributeOf(input: Input): { key: AttributeKey; value: string } | null {
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length === 0) return null;
  if (attributes.length > 1) throw error('InvalidLookupAttributesException', 'You can specify only one lookup attribute.');
  const [{ AttributeKey: key, AttributeValue: value }] = attributes as [{ AttributeKey: string; AttributeValue: string }];
  if (!(ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
    throw error('ValidationException', `1 validation error detected: Value '${key}' at 'lookupAttributes.1.member.attributeKey' failed to satisfy constraint: Member must satisfy enum value set: [${ATTRIBUTE_KEYS.join(', ')}]`);
  }
  if (value.length < 1 || value.length > 2000) {
    throw error('ValidationException', "1 validation error detected: Value at 'lookupAttributes.1.member.attributeValue' failed to satisfy constraint: Member must have length between 1 and 2000");
  }
  return { key: key as AttributeKey, value };
}

function matches(event: LookupEvent, attribute: { key: AttributeKey; value: string } | null): boolean {
  if (!attribute) return true;
  const { key, value } = attribute;
  if (key === 'ResourceType') return event.Resources.some((resource) => resource.ResourceType === value);
  if (key === 'ResourceName') return event.Resources.some((resource) => resource.ResourceName === value);
  return event[key] === value;
}

/** One answered entry: an event, or its second copy when CloudTrail answers it twice. */
interface Entry {
  stored: VisibleEvent;
  copy: number;
}

/** Where a page ends, in the answer's order (event second, then recording order, then copy, all descending). */
const before = (entry: Entry, cursor: { time: number; sequence: number; copy: number }) => {
  const time = entry.stored.event.EventTime;
  if (time !== cursor.time) return time < cursor.time;
  if (entry.stored.sequence !== cursor.sequence) return entry.stored.sequence < cursor.sequence;
  return entry.copy < cursor.copy;
};

/** Fingerprint of what a token continues: "The token must be passed in with the same parameters as the previous call." */
function lookupHash(input: Input): string {
  const { LookupAttributes, StartTime, EndTime, EventCategory } = input;
  return createHash('sha256').update(JSON.stringify({ LookupAttributes, StartTime, EndTime, EventCategory })).digest('hex').slice(0, 16);
}

function lookupEvents(call: ServiceCall) {
  const input = parseInput(LookupEventsInput, call.parameters);
  const attribute = attributeOf(input);
  const { MaxResults } = input;
  if (MaxResults !== undefined && (!Number.isInteger(MaxResults) || MaxResults < 1 || MaxResults > MAX_RESULTS)) {
    throw error('InvalidMaxResultsException', `MaxResults must be between 1 and ${MAX_RESULTS}.`);
  }
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
    throw error('InvalidEventCategoryException', `The event category ${input.EventCategory} is not valid. The only valid value is insight.`);
  }
  const now = call.context.now();
  const start = input.StartTime ?? 0;
  const end = input.EndTime ?? now / 1000;
  if (start > end) throw error('InvalidTimeRangeException', 'The start time must be before the end time.');
  const hash = lookupHash(input);
  let cursor: { time: number; sequence: number; copy: number } | null = null;
  if (input.NextToken !== undefined) {
    const token = decodePageToken(input.NextToken, 'LookupEvents');
    if (!token || token.request !== hash || typeof token.time !== 'number' || typeof token.copy !== 'number') {
      throw error('InvalidNextTokenException', 'Invalid NextToken: it was issued for a lookup with other parameters, or not by CloudTrail.');
    }
    cursor = { time: token.time, sequence: token.offset, copy: token.copy };
  }
  // The emulator records no Insights events: a lookup of them finds none.
  const stored = input.EventCategory === 'insight' ? [] : call.context.trail.visible(call.region, now, call.scenario.cloudtrail, call.scenario.seed);
  const entries: Entry[] = stored
    .filter(({ event }) => event.EventTime >= start && event.EventTime <= end && matches(event, attribute))
    .flatMap((event) => (event.copies === 2 ? [{ stored: event, copy: 1 }, { stored: event, copy: 0 }] : [{ stored: event, copy: 0 }]));
  const from = cursor === null ? 0 : entries.findIndex((entry) => before(entry, cursor));
  const remaining = from === -1 ? [] : entries.slice(from);
  const size = Math.min(MaxResults ?? MAX_RESULTS, call.scenario.cloudtrail.pageSize ?? MAX_RESULTS);
  const page = remaining.slice(0, size);
  const last = page.at(-1);
  const nextToken =
    last && remaining.length > size ? encodePageToken('LookupEvents', last.stored.sequence, { request: hash, time: last.stored.event.EventTime, copy: last.copy }) : undefined;
  return { Events: page.map((entry) => entry.stored.event), ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** The lookup rate of one region, on the emulator's clock; kept as long as the scenario. */
function withinRate(call: ServiceCall): boolean {
  const { ratePerSecond } = call.scenario.cloudtrail;
  const now = call.context.now();
  const buckets = call.context.state.buckets;
  const key = `cloudtrail:${call.region}`;
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new TokenBucket(ratePerSecond, Math.max(1, ratePerSecond), now);
    buckets.set(key, bucket);
  }
  return bucket.take(1, now);
}

export const cloudTrailService: EmulatedService = {
  signingName: 'cloudtrail',
  protocol: 'awsJson',
  targetPrefix: 'CloudTrail_20131101',
  jsonVersion: '1.1',
  errorMessageMember: 'Message',
  async answer(call) {
    if (!(await regionalPreamble(call))) return;
    if (call.operation !== 'LookupEvents') throw error('UnknownOperationException', `The emulator's CloudTrail answers LookupEvents only, not ${call.operation}.`);
    const { cloudtrail, identity } = call.scenario;
    if (cloudtrail.denied.some((region) => matchesRegion(region, call.region))) {
      const action = 'cloudtrail:LookupEvents';
      throw error('AccessDeniedException', `User: ${identity.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`);
    }
    if (cloudtrail.unavailable.some((region) => matchesRegion(region, call.region))) {
      throw error('UnsupportedOperationException', `CloudTrail event history is not available in ${call.region} for this account.`);
    }
    // AWS's common ThrottlingException (HTTP 400, "Rate exceeded"), which the SDK retries as a throttle by its name.
    if (!withinRate(call)) throw error('ThrottlingException', 'Rate exceeded');
    sendJsonResult(call, cloudTrailService, lookupEvents(call));
  },
};
