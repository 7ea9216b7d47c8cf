import { z } from 'zod';
import type { RouteKind } from '../catalog/resolve-route';
import { method, ModelIdSchema, RegionNameSchema } from './define';

/**
 * The access doctor: "can I call this route, and if not, why and what do I change?" One report per target and
 * source region, as checks that each pass, warn, fail or say why they cannot tell (`unknown`, never shown as a
 * pass), and a verdict from them. The same report answers `bedrock-atlas doctor`, the matrix cell panel's and the
 * playground pane's "Check access".
 */

export const ACCESS_CHECK_IDS = ['credentials', 'offered', 'account-access', 'lifecycle', 'iam', 'organization-policy', 'quota', 'live-call'] as const;
export type AccessCheckId = (typeof ACCESS_CHECK_IDS)[number];

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/**
 * `ready`: no fail and no warn; `at-risk`: a warn (one destination of a geo profile denied: intermittent failures);
 * `blocked`: a fail; `unknown`: nothing failed or warned but a check could not tell. An unknown `quota` (none found,
 * or Service Quotas unreadable) does not hold a verdict back: a quota says how much, not whether; a quota of 0 fails.
 */
export type AccessVerdict = 'ready' | 'at-risk' | 'blocked' | 'unknown';

/** The exit code of `bedrock-atlas doctor` per verdict (2 is a bad argument). */
export const VERDICT_EXIT_CODES: Record<AccessVerdict, number> = { ready: 0, 'at-risk': 3, blocked: 4, unknown: 5 };

export type SimulatorDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** What the IAM policy simulator said for the resources the route touches in one region (`unspecified`: global). */
export interface DestinationDecision {
  decision: SimulatorDecision;
  /** null when the simulator gave no organization decision (the account is in no organization). */
  allowedByOrganizations: boolean | null;
}

export interface AccessCheck {
  id: AccessCheckId;
  status: CheckStatus;
  message: string;
  fix?: string;
  destinations?: Record<string, DestinationDecision>;
}

export interface AccessReport {
  target: string;
  from: string;
  /** null when the target resolves to no route from `from` (the `offered` check says why). */
  invokeId: string | null;
  routeKind: RouteKind | null;
  verdict: AccessVerdict;
  checks: AccessCheck[];
  /** The principal the checks were made for (the role ARN for an assumed-role session), when known. */
  principal: string | null;
  checkedAt: string;
  /** True when this report was kept from an earlier check of the same principal and route (`recheck` asks again). */
  cached: boolean;
  /** IAM calls this check made (0 when cached). */
  iamCalls: number;
}

export const CheckAccessInputSchema = z
  .object({
    /** Anything `where` accepts: a model id, ARN or forgiving name, a profile id or ARN. */
    target: ModelIdSchema,
    from: RegionNameSchema,
    /** Also make one real 1-token ConverseStream call through the route, never retried. */
    live: z.boolean().default(false),
    /** A bare id served only through profiles is checked through the best profile, as the playground routes it. */
    autoProfile: z.boolean().default(false),
    /** Ask everything again instead of answering from this run's earlier check. */
    recheck: z.boolean().default(false),
  })
  .strict();
export type CheckAccessInput = z.input<typeof CheckAccessInputSchema>;

export const accessMethods = {
  checkAccess: method<AccessReport>()(CheckAccessInputSchema),
};

/** The verdict the checks give (see AccessVerdict). */
export function verdictOf(checks: readonly AccessCheck[]): AccessVerdict {
  if (checks.some((check) => check.status === 'fail')) return 'blocked';
  if (checks.some((check) => check.status === 'warn')) return 'at-risk';
  if (checks.some((check) => check.status === 'unknown' && check.id !== 'quota')) return 'unknown';
  return 'ready';
}
