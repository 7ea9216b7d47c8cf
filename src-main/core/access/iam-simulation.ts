import type { EvaluationResult } from '@aws-sdk/client-iam';
import type { ResolvedRoute } from '../../../src-shared/catalog/resolve-route';
import type { DestinationDecision, SimulatorDecision } from '../../../src-shared/contract/access';
import type { AwsClientPool } from '../aws/client-pool';
import { IAM } from '../aws/services';

/**
 * What the IAM policy simulator says about every resource a route touches, asked once per distinct context (one
 * `aws:RequestedRegion` value), never once per action: each call asks both actions on all of that context's
 * resources. AWS's user guide for cross-Region inference says what a route touches:
 * - on demand: the foundation model in the source region;
 * - a geo profile: the profile ARN in the source region, and the foundation model in each destination region (an
 *   SCP that denies one destination makes requests routed there fail);
 * - a global profile: the profile ARN and the foundation model in the source region, and the region-less
 *   foundation-model ARN with `aws:RequestedRegion` = `unspecified`.
 * Calls to a profile's models carry `bedrock:InferenceProfileArn`, as Bedrock sets it.
 */

export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] as const;

/** The context key value of a global profile's region-less resource. */
export const UNSPECIFIED_REGION = 'unspecified';

export interface SimulationContext {
  /** The `aws:RequestedRegion` value, which also names the destination in the report. */
  region: string;
  resources: string[];
  /** The profile ARN itself is among the resources: denying it denies every call. */
  profileArn: string | null;
}

export function foundationModelArn(partition: string, region: string, modelId: string): string {
  return `arn:${partition}:bedrock:${region}::foundation-model/${modelId}`;
}

export function profileArnOf(route: Pick<ResolvedRoute, 'invokeId' | 'callRegion'>, partition: string, account: string): string {
  return route.invokeId.startsWith('arn:') ? route.invokeId : `arn:${partition}:bedrock:${route.callRegion}:${account}:inference-profile/${route.invokeId}`;
}

/** One context per distinct requested region, the source region first. */
export function simulationContexts(route: ResolvedRoute, partition: string, account: string): SimulationContext[] {
  const from = route.callRegion;
  const model = (region: string) => foundationModelArn(partition, region, route.modelId);
  if (route.kind === 'on-demand') return [{ region: from, resources: [model(from)], profileArn: null }];
  const profileArn = profileArnOf(route, partition, account);
  if (route.kind === 'global-profile') {
    return [
      { region: from, resources: [profileArn, model(from)], profileArn },
      { region: UNSPECIFIED_REGION, resources: [`arn:${partition}:bedrock:::foundation-model/${route.modelId}`], profileArn },
    ];
  }
  const regions = [from, ...route.destinations.filter((region) => region !== from)];
  return regions.map((region) => ({
    region,
    // The source region's model is a destination only when the profile routes there.
    resources: region === from ? [profileArn, ...(route.destinations.includes(from) ? [model(from)] : [])] : [model(region)],
    profileArn,
  }));
}

export interface ContextResult {
  context: SimulationContext;
  /** The worst decision over the context's results that are not the profile ARN's. */
  destination: DestinationDecision | null;
  /** The profile ARN's own decision, in the source region's context. */
  profile: DestinationDecision | null;
}

const SEVERITY: Record<SimulatorDecision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };

function decisionOf(result: EvaluationResult): DestinationDecision {
  const decision = (['allowed', 'explicitDeny', 'implicitDeny'] as const).find((value) => value === result.EvalDecision) ?? 'implicitDeny';
  const organizations = result.OrganizationsDecisionDetail?.AllowedByOrganizations;
  return { decision, allowedByOrganizations: typeof organizations === 'boolean' ? organizations : null };
}

/** The worst of several decisions; organizations: false if any says false, null if none says anything. */
export function worstDecision(decisions: readonly DestinationDecision[]): DestinationDecision | null {
  if (decisions.length === 0) return null;
  const decision = decisions.reduce((worst, next) => (SEVERITY[next.decision] > SEVERITY[worst.decision] ? next : worst)).decision;
  const said = decisions.map((entry) => entry.allowedByOrganizations).filter((value): value is boolean => value !== null);
  return { decision, allowedByOrganizations: said.length === 0 ? null : said.every(Boolean) };
}

export async function simulateContext(
  clients: AwsClientPool,
  principalArn: string,
  context: SimulationContext,
  signal?: AbortSignal,
): Promise<{ result: ContextResult; calls: number }> {
  const results: EvaluationResult[] = [];
  let marker: string | undefined;
  let calls = 0;
  do {
    calls += 1;
    const answer = await (await clients.client(IAM, 'us-east-1')).send(
      new (await import('@aws-sdk/client-iam')).SimulatePrincipalPolicyCommand({
        PolicySourceArn: principalArn,
        ActionNames: [...INVOKE_ACTIONS],
        ResourceArns: context.resources,
        ContextEntries: [
          { ContextKeyName: 'aws:RequestedRegion', ContextKeyValues: [context.region], ContextKeyType: 'string' },
          ...(context.profileArn ? [{ ContextKeyName: 'bedrock:InferenceProfileArn', ContextKeyValues: [context.profileArn], ContextKeyType: 'string' as const }] : []),
        ],
        ...(marker ? { Marker: marker } : {}),
      }),
      { abortSignal: signal },
    );
    results.push(...(answer.EvaluationResults ?? []));
    marker = answer.IsTruncated ? answer.Marker : undefined;
  } while (marker);
  const isProfile = (result: EvaluationResult) => context.profileArn !== null && result.EvalResourceName === context.profileArn;
  return {
    result: {
      context,
      destination: worstDecision(results.filter((result) => !isProfile(result)).map(decisionOf)),
      profile: worstDecision(results.filter(isProfile).map(decisionOf)),
    },
    calls,
  };
}
