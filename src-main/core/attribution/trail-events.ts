import type { Event as LookupEvent } from '@aws-sdk/client-cloudtrail';

/**
 * What CloudTrail's event history holds of a Bedrock runtime call, and how a served region is read from it.
 *
 * Which runtime calls are in the event history at all: "Amazon Bedrock logs Amazon Bedrock Runtime API operations
 * (`InvokeModel`, `InvokeModelWithResponseStream`, `Converse`, and `ConverseStream`) as management events." and
 * "Amazon Bedrock logs other Amazon Bedrock Runtime API operations (such as `InvokeModelWithBidirectionalStream`,
 * `GetAsyncInvoke`, and `StartAsyncInvokes`) as data events." (Monitor Amazon Bedrock API calls using CloudTrail,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html). LookupEvents reads management
 * events only ("Looks up management events or CloudTrail Insights events that are captured by CloudTrail",
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html), so those four are the calls
 * that can be attributed; a data event never shows up in it.
 *
 * Where a call ran: the event is logged in the region called (`awsRegion`, the source region), and a call that a
 * cross-Region inference profile sent elsewhere says where in `additionalEventData.inferenceRegion` (real answer:
 * fixtures/lookup-events.bedrock-converse.us-east-1.json). An event without it ran in its source region. Runtime
 * events have the event source `bedrock.amazonaws.com` (not bedrock-runtime).
 */

export const RUNTIME_MANAGEMENT_EVENTS = ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'] as const;
export type RuntimeManagementEvent = (typeof RUNTIME_MANAGEMENT_EVENTS)[number];

/** The runtime operations the app calls (the lab and the playground: ConverseStream, and Converse for a model without streaming). */
export const APP_RUNTIME_OPERATIONS: readonly RuntimeManagementEvent[] = ['ConverseStream', 'Converse'];

export const BEDROCK_EVENT_SOURCE = 'bedrock.amazonaws.com';

/** One runtime call as its CloudTrail event tells it. */
export interface TrailCall {
  /** CloudTrail's `requestID`: the `x-amzn-requestid` Bedrock answered the call with. */
  requestId: string;
  eventName: string;
  /** The event's time (when the call was made), epoch milliseconds, to the second. */
  eventTime: number;
  /** `awsRegion`: the region called. */
  sourceRegion: string;
  /** `additionalEventData.inferenceRegion`, or the source region when the event names none (an in-region call). */
  servedRegion: string;
  /** Whether the event named an inference region (a call a profile routed), as opposed to one served where called. */
  routed: boolean;
  /** The service tier the event names, when it names one. */
  tier: string | null;
  /** The call's error code when Bedrock refused or failed it (a throttle is logged too). */
  errorCode: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** `serviceTier` as a string, or as the response's `{type}` shape. */
function tierOf(data: Record<string, unknown>): string | null {
  const tier = data.serviceTier;
  if (isRecord(tier)) return text(tier.type);
  return text(tier);
}

function eventTimeOf(event: LookupEvent, detail: Record<string, unknown>): number | null {
  if (event.EventTime instanceof Date && !Number.isNaN(event.EventTime.getTime())) return event.EventTime.getTime();
  const fromDetail = text(detail.eventTime);
  const parsed = fromDetail ? Date.parse(fromDetail) : Number.NaN;
  return Number.isNaN(parsed) ? null : parsed;
}

/**
 * A LookupEvents entry as a runtime call, or null for anything else: another event name, an event whose JSON does
 * not parse or lacks its request id or region (nothing can be matched on it). Never throws.
 */
export function trailCallOf(event: LookupEvent): TrailCall | null {
  const eventName = text(event.EventName);
  if (!eventName || !(RUNTIME_MANAGEMENT_EVENTS as readonly string[]).includes(eventName) || !event.CloudTrailEvent) return null;
  let detail: unknown;
  try {
    detail = JSON.parse(event.CloudTrailEvent);
  } catch {
    return null;
  }
  if (!isRecord(detail)) return null;
  const requestId = text(detail.requestID);
  const sourceRegion = text(detail.awsRegion);
  const eventTime = eventTimeOf(event, detail);
  if (!requestId || !sourceRegion || eventTime === null) return null;
  const additional = isRecord(detail.additionalEventData) ? detail.additionalEventData : {};
  const inferenceRegion = text(additional.inferenceRegion);
  return {
    requestId,
    eventName,
    eventTime,
    sourceRegion,
    servedRegion: inferenceRegion ?? sourceRegion,
    routed: inferenceRegion !== null,
    tier: tierOf(additional),
    errorCode: text(detail.errorCode),
  };
}
