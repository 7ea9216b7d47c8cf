import { z } from 'zod';
import type { QuotaUnit, RouteKind } from './quota-data';
import { TokenBucket } from './token-bucket';
import { BedrockError } from './wire';

/**
 * Bedrock's requests-per-minute and tokens-per-minute quotas, enforced as Bedrock enforces them: a token bucket per
 * quota in the region called (quotas are the source region's), refilled continuously on the emulator's clock at the
 * applied value per minute. A call takes one request, and reserves its total input tokens plus `max_tokens` at the
 * start; at the end the reservation is settled to what the call cost (input + cache write + output × the model's
 * burndown, as EstimatedTPMQuotaUsage counts it), so a large `max_tokens` throttles even when the answers are short
 * ("At Request Start - Reserves quota based on: Total Input Tokens + max_tokens … At Request End - Final
 * calculation using: InputTokenCount + CacheWriteInputTokens + (OutputTokenCount × BurndownRate)", AWS's re:Post
 * article on its quota dashboard, https://repost.aws/articles/ARfUsSkaWeSLiWZbv0OVSG1Q). Tokens per day are not
 * enforced. Off unless the scenario's `enforceQuotas` turns it on, so delays alone shape other runs.
 */

export const EnforceQuotasSchema = z
  .union([
    z.boolean(),
    z
      .object({
        /** How many seconds of quota a bucket holds: a full minute's by default, so a minute's quota may be spent at once. */
        burstSeconds: z.number().positive().max(3600).default(60),
      })
      .strict(),
  ])
  .default(false);
export type EnforceQuotas = z.output<typeof EnforceQuotasSchema>;

/** Bedrock's words for each quota (ThrottlingException, 429). */
export const QUOTA_MESSAGES = {
  requestsPerMinute: 'Too many requests, please wait before trying again.',
  tokensPerMinute: 'Too many tokens, please wait before trying again.',
} as const;

/** The applied value of a quota, or null when the region has none for that model, route and unit. */
export type QuotaLookup = (region: string, modelId: string, routeKind: RouteKind, unit: QuotaUnit) => number | null;

export interface QuotaCall {
  region: string;
  /** The foundation model the call reaches. */
  modelId: string;
  routeKind: RouteKind;
  /** Input tokens plus max_tokens. */
  reservedTokens: number;
}

/** An admitted call: settle it once with what it cost in quota tokens. */
export interface Admission {
  settle(quotaTokens: number, now: number): void;
}

const NOTHING_TO_SETTLE: Admission = { settle: () => undefined };

export class QuotaEnforcer {
  private readonly buckets = new Map<string, TokenBucket | null>();
  private readonly burstSeconds: number | null;

  constructor(
    setting: EnforceQuotas,
    private readonly lookup: QuotaLookup,
  ) {
    this.burstSeconds = setting === false ? null : setting === true ? 60 : setting.burstSeconds;
  }

  /** Admits a call or answers Bedrock's ThrottlingException; the requests quota is checked first. */
  admit(call: QuotaCall, now: number): Admission {
    if (this.burstSeconds === null) return NOTHING_TO_SETTLE;
    const requests = this.bucket(call, 'requestsPerMinute', now);
    const tokens = this.bucket(call, 'tokensPerMinute', now);
    if (requests && !requests.take(1, now)) throw new BedrockError(429, 'ThrottlingException', QUOTA_MESSAGES.requestsPerMinute);
    if (tokens && !tokens.take(call.reservedTokens, now)) {
      requests?.adjust(1, now);
      throw new BedrockError(429, 'ThrottlingException', QUOTA_MESSAGES.tokensPerMinute);
    }
    if (!tokens) return NOTHING_TO_SETTLE;
    let settled = false;
    return {
      settle: (quotaTokens, at) => {
        if (settled) return;
        settled = true;
        tokens.adjust(call.reservedTokens - quotaTokens, at);
      },
    };
  }

  private bucket(call: QuotaCall, unit: 'requestsPerMinute' | 'tokensPerMinute', now: number): TokenBucket | null {
    const key = `${call.region}\n${call.modelId}\n${call.routeKind}\n${unit}`;
    if (!this.buckets.has(key)) {
      const perMinute = this.lookup(call.region, call.modelId, call.routeKind, unit);
      this.buckets.set(key, perMinute === null ? null : new TokenBucket(perMinute / 60, (perMinute / 60) * this.burstSeconds!, now));
    }
    return this.buckets.get(key)!;
  }
}
