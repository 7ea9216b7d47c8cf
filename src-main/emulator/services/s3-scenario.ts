import { z } from 'zod';

/**
 * The scenario's `s3`: what the emulator's S3 (s3.ts) refuses, fails, delays or stalls. Rules name buckets and the
 * IAM actions S3 authorizes by (HeadObject is `s3:GetObject`, ListObjectsV2 and HeadBucket are `s3:ListBucket`), so a
 * denial behaves as a policy would: a caller who may not get an object may not head it either.
 */

/** S3's bucket naming rules (general purpose buckets): 3 to 63 lowercase letters, digits, dots and hyphens. */
export const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const S3_ACTIONS = ['s3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:ListAllMyBuckets', 's3:PutObject', 's3:GetObject', 's3:DeleteObject'] as const;
export type S3Action = (typeof S3_ACTIONS)[number];

const BucketName = z.string().regex(BUCKET_NAME, 'a bucket name as S3 allows it: 3 to 63 lowercase letters, digits, dots and hyphens');
const Target = {
  bucket: z.union([BucketName, z.literal('*')]).default('*'),
  action: z.union([z.enum(S3_ACTIONS), z.literal('*')]).default('*'),
};

const DenyRule = z.object(Target).strict();
const FailureRule = z
  .object({
    ...Target,
    /** InternalError (HTTP 500) or SlowDown (HTTP 503, which the SDK retries as a throttle). */
    code: z.enum(['InternalError', 'SlowDown']).default('InternalError'),
    /** Fail the first N matching requests, then let them through; without it every matching request fails. */
    firstN: z.number().int().positive().optional(),
  })
  .strict();

const DAY_MS = 24 * 60 * 60 * 1000;

export const S3ScenarioSchema = z
  .object({
    /**
     * Buckets that exist (created in us-east-1) as soon as the scenario is set. Buckets and objects outlive a change
     * of scenario; only a reset clears them.
     */
    buckets: z.array(BucketName).default([]),
    /** AccessDenied (403) for every request (true), or for those a rule matches by bucket and IAM action. */
    denied: z.union([z.boolean(), z.array(DenyRule)]).default(false),
    /** Buckets that answer NoSuchBucket (404) to everything but CreateBucket, whatever they hold. */
    absent: z.array(BucketName).default([]),
    /** Requests that fail with InternalError or SlowDown, by bucket and IAM action. */
    failing: z.array(FailureRule).default([]),
    /** Delay before each S3 answer, refusals included. */
    slowMs: z.number().nonnegative().max(600_000).default(0),
    /**
     * A PutObject reads this many bytes of its body (as sent, chunk framing included) and then stops reading and never
     * answers, until the client gives up: slow mid-upload. Nothing is stored. A shorter body is read whole.
     */
    stallUploadAfterBytes: z.number().int().nonnegative().optional(),
    /** ListObjectsV2 answers at most this many keys and common prefixes a page, whatever max-keys asks (S3: 1000). */
    pageSize: z.number().int().positive().max(1000).optional(),
    /**
     * How far S3's clock is ahead of the emulator's (negative: behind). S3 refuses a request whose signing time is
     * more than 15 minutes off its clock (RequestTimeTooSkewed) and dates every answer by its clock, which the SDK
     * reads to correct its own offset.
     */
    clockSkewMs: z.number().int().min(-7 * DAY_MS).max(7 * DAY_MS).default(0),
  })
  .strict();
export type S3Scenario = z.output<typeof S3ScenarioSchema>;

export const matchesS3Rule = (rule: { bucket: string; action: string }, bucket: string, action: S3Action) =>
  (rule.bucket === '*' || rule.bucket === bucket) && (rule.action === '*' || rule.action === action);
