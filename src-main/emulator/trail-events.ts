import { randomUUID } from 'node:crypto';
import type { Scenario } from './scenario';

/**
 * A Bedrock call as CloudTrail records it, in the shape of the real LookupEvents answer
 * (recordings/cloudtrail.lookup-events.bedrock-converse.us-east-1.json): the lookup fields beside the whole event
 * as a JSON string. Every Bedrock API the emulator serves is a management event, so each lands in the event history
 * of the region called ("InvokeModel, InvokeModelWithResponseStream, Converse and ConverseStream are management
 * events", https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html; the other Bedrock
 * APIs are management events too). A call made through a cross-region profile says where it ran in
 * `additionalEventData.inferenceRegion` ("records where each request was processed", AWS's blog on cross-Region
 * inference from Auckland, 2026), and a completed one its token counts, as the real records do.
 */

export const BEDROCK_EVENT_SOURCE = 'bedrock.amazonaws.com';

/** A signed Bedrock call that got past authentication, with what it came to. */
export interface TrailCall {
  /** The region called: CloudTrail's `awsRegion`, where the event is looked up. */
  region: string;
  operation: string;
  /** The `x-amzn-requestid` the call was answered with: CloudTrail's `requestID`. */
  requestId: string;
  /** The emulator's clock when the call arrived, epoch milliseconds. */
  receivedAt: number;
  /** The SigV4 access key id; none for a call with a Bedrock API key. */
  accessKeyId?: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  /** Where a profile call ran. */
  inferenceRegion?: string;
  tokens?: { inputTokens: number; outputTokens: number };
  /** The latency mode and service tier the answer said it was served with (`performanceConfig`, `serviceTier`). */
  served?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** What LookupEvents answers for one event (timestamps as the awsJson protocol sends them: epoch seconds). */
export interface LookupEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId?: string;
  EventTime: number;
  EventSource: string;
  Username: string;
  Resources: { ResourceType?: string; ResourceName?: string }[];
  CloudTrailEvent: string;
}

/** The path members of the control-plane operations that name a resource, as the API names them. */
const IDENTIFIER_MEMBERS: Record<string, string> = {
  GetFoundationModel: 'modelIdentifier',
  GetInferenceProfile: 'inferenceProfileIdentifier',
  GetFoundationModelAvailability: 'modelId',
};

/** A control-plane call's parameters as CloudTrail logs them: its path member, or its query; null for none. */
export function controlPlaneParameters(operation: string, identifier: string | undefined, query: URLSearchParams): Record<string, unknown> | null {
  const member = IDENTIFIER_MEMBERS[operation];
  const parameters = { ...(member && identifier !== undefined ? { [member]: identifier } : {}), ...Object.fromEntries(query) };
  return Object.keys(parameters).length > 0 ? parameters : null;
}

/** CloudTrail's times: whole seconds, UTC, `Z`. */
const isoSeconds = (epochMs: number) => new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

interface Identity {
  userIdentity: Record<string, unknown>;
  /** LookupEvents' `Username`: the user's name, or the role session's. */
  username: string;
}

/** The caller as CloudTrail's `userIdentity` names it, from the scenario's STS identity. */
function identityOf(scenario: Scenario, call: TrailCall): Identity {
  const { account, arn, userId } = scenario.identity;
  const key = call.accessKeyId ? { accessKeyId: call.accessKeyId } : {};
  const assumed = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (assumed) {
    const [, roleName = '', session = ''] = assumed;
    const path = scenario.iam.roles.find((role) => role.name === roleName)?.path ?? '/';
    return {
      username: session,
      userIdentity: {
        type: 'AssumedRole',
        principalId: userId,
        arn,
        accountId: account,
        ...key,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: userId.split(':')[0], arn: `arn:aws:iam::${account}:role${path}${roleName}`, accountId: account, userName: roleName },
          // The session began before the call; the start of its hour stands for it.
          attributes: { creationDate: isoSeconds(Math.floor(call.receivedAt / 3_600_000) * 3_600_000), mfaAuthenticated: 'false' },
        },
      },
    };
  }
  if (/:root$/.test(arn)) return { username: 'root', userIdentity: { type: 'Root', principalId: account, arn, accountId: account, ...key } };
  const userName = arn.split('/').at(-1) ?? arn;
  return { username: userName, userIdentity: { type: 'IAMUser', principalId: userId, arn, accountId: account, ...key, userName } };
}

/** The runtime endpoint's host for runtime calls, the control plane's for the others, as the client named it. */
function hostOf(call: TrailCall): string {
  const runtime = ['Converse', 'ConverseStream', 'CountTokens', 'InvokeModel', 'InvokeModelWithResponseStream'].includes(call.operation);
  return `${runtime ? 'bedrock-runtime' : 'bedrock'}.${call.region}.amazonaws.com`;
}

function additionalEventData(call: TrailCall): Record<string, unknown> | undefined {
  const data = {
    ...(call.inferenceRegion ? { inferenceRegion: call.inferenceRegion } : {}),
    ...(call.tokens ? { inputTokens: call.tokens.inputTokens, outputTokens: call.tokens.outputTokens } : {}),
    // Not in the real records seen (none asked for a tier): the emulator names the served tier as the answer does.
    ...(call.served ?? {}),
  };
  return Object.keys(data).length > 0 ? data : undefined;
}

export function lookupEventOf(scenario: Scenario, call: TrailCall): LookupEvent {
  const eventId = randomUUID();
  const { userIdentity, username } = identityOf(scenario, call);
  const extra = additionalEventData(call);
  const event = {
    eventVersion: '1.11',
    userIdentity,
    eventTime: isoSeconds(call.receivedAt),
    eventSource: BEDROCK_EVENT_SOURCE,
    eventName: call.operation,
    awsRegion: call.region,
    sourceIPAddress: '127.0.0.1',
    userAgent: call.userAgent,
    ...(call.error ? { errorCode: call.error.code, errorMessage: call.error.message } : {}),
    requestParameters: call.requestParameters,
    responseElements: null,
    ...(extra ? { additionalEventData: extra } : {}),
    requestID: call.requestId,
    eventID: eventId,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: scenario.identity.account,
    // The real cross-region records carry one: the event is shared with the region that ran the call.
    ...(call.inferenceRegion ? { sharedEventID: randomUUID() } : {}),
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: hostOf(call) },
  };
  return {
    EventId: eventId,
    EventName: call.operation,
    ReadOnly: 'true',
    ...(call.accessKeyId ? { AccessKeyId: call.accessKeyId } : {}),
    EventTime: Math.floor(call.receivedAt / 1000),
    EventSource: BEDROCK_EVENT_SOURCE,
    Username: username,
    Resources: [],
    CloudTrailEvent: JSON.stringify(event),
  };
}
