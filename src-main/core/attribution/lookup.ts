import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailProblem } from '../../../src-shared/contract/attribution';
import { classifyAwsError, explainAwsError } from '../aws/errors';
import type { RegionRateLimiter } from './rate-limit';
import { trailCallOf, type RuntimeManagementEvent, type TrailCall } from './trail-events';

/**
 * One source region's runtime events over a window, read with LookupEvents: one lookup per runtime operation the app
 * calls (LookupAttributes takes a single attribute, `EventName`, so no other Bedrock event is paged through), every
 * page (at most 50 events a page, the API's maximum) followed through its NextToken, each call in the region's turn
 * of the rate limit. A throttle (someone else in the account is using the same rate) holds the region off and asks
 * the same page again. A failure is data: denied and unavailable end the region's lookups, anything else is retried
 * at the job's next pass.
 */

export const MAX_RESULTS = 50;
/** Throttles in a row on one page before the pass gives up on the region (its next pass tries again). */
const THROTTLES_IN_A_ROW = 6;
/** The wait after a throttle, doubled each time in a row. */
const THROTTLE_HOLD_MS = 1_000;
/** One LookupEvents call gets this long. */
const CALL_TIMEOUT_MS = 30_000;

export interface LookupWindow {
  start: Date;
  end: Date;
}

export type RegionLookup = { ok: true; calls: TrailCall[]; lookups: number } | { ok: false; problem: CloudTrailProblem; lookups: number };

export interface LookupDependencies {
  client: (region: string) => Promise<CloudTrailClient>;
  limiter: RegionRateLimiter;
  redact: (text: string) => string;
  profile: string | null;
}

export class PageLoopError extends Error {
  override readonly name = 'PaginationLoop';
}

/** The service names CloudTrail's event history is unavailable by (an opted-out or not enabled region, an unsupported account). */
const UNAVAILABLE_NAMES = new Set(['UnsupportedOperationException', 'OperationNotPermittedException', 'OptInRequiredException', 'UnrecognizedClientException']);

export function problemOf(error: unknown, region: string, redact: (text: string) => string, profile: string | null): CloudTrailProblem {
  const failure = classifyAwsError(error);
  const upstream = redact(failure.upstreamMessage);
  if (failure.errorClass === 'accessDenied' || failure.errorClass === 'organizationPolicy') {
    const who = failure.errorClass === 'organizationPolicy' ? 'An organization policy (SCP) denies' : 'The caller may not call';
    return {
      region,
      reason: 'denied',
      code: failure.name,
      message: `${who} cloudtrail:LookupEvents in ${region}, so where its requests were served cannot be read: add "cloudtrail:LookupEvents" on "*" to the caller's IAM policy (AWSCloudTrail_ReadOnlyAccess has it). The latency figures stay, without attribution. (${upstream})`,
    };
  }
  if (UNAVAILABLE_NAMES.has(failure.name)) {
    return {
      region,
      reason: 'unavailable',
      code: failure.name,
      message: `CloudTrail event history is not available in ${region} for this account, so where its requests were served cannot be read. The latency figures stay, without attribution. (${upstream})`,
    };
  }
  if (error instanceof PageLoopError) return { region, reason: 'error', code: error.name, message: error.message };
  const explained = explainAwsError(error, { service: 'CloudTrail', region, profile, redact });
  return { region, reason: 'error', code: explained.code, message: `${explained.message} The next pass tries again.` };
}

export async function lookupRegion(
  region: string,
  window: LookupWindow,
  operations: readonly RuntimeManagementEvent[],
  dependencies: LookupDependencies,
  signal: AbortSignal,
): Promise<RegionLookup> {
  const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  const calls: TrailCall[] = [];
  let lookups = 0;
  try {
    const client = await dependencies.client(region);
    for (const operation of operations) {
      const seenTokens = new Set<string>();
      let nextToken: string | undefined;
      let throttles = 0;
      do {
        await dependencies.limiter.take(region, signal);
        lookups++;
        try {
          const page = await client.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: operation }],
              StartTime: window.start,
              EndTime: window.end,
              MaxResults: MAX_RESULTS,
              NextToken: nextToken,
            }),
            { abortSignal: AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]) },
          );
          throttles = 0;
          for (const event of page.Events ?? []) {
            const call = trailCallOf(event);
            if (call) calls.push(call);
          }
          nextToken = page.NextToken || undefined;
          if (nextToken !== undefined) {
            if (seenTokens.has(nextToken)) throw new PageLoopError(`CloudTrail in ${region} returned a NextToken it had already returned: the pages would never end.`);
            seenTokens.add(nextToken);
          }
        } catch (error) {
          if (signal.aborted || classifyAwsError(error).errorClass !== 'throttled' || ++throttles >= THROTTLES_IN_A_ROW) throw error;
          // The same page again once the region has rested: the token stays valid for the same lookup.
          dependencies.limiter.holdOff(region, THROTTLE_HOLD_MS * 2 ** (throttles - 1));
        }
      } while (nextToken !== undefined || throttles > 0);
    }
    return { ok: true, calls, lookups };
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, problem: problemOf(error, region, dependencies.redact, dependencies.profile), lookups };
  }
}
