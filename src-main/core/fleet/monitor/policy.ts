import type { MonitorConfig } from '../../../../src-shared/fleet/monitor-config';
import type { PlannedRoute } from '../../latency/plan';
import type { MonitorPlan } from './plan';

/**
 * The least-privilege IAM policy a monitor needs, from its config and plan (`bedrock-atlas monitor --print-policy`).
 *
 * - Measuring: the lab calls ConverseStream, which IAM authorizes as `bedrock:InvokeModelWithResponseStream` (there
 *   is no separate Converse action), on the exact ARNs it calls: the foundation model in each call region for an
 *   on-demand route, the inference profile in its source region for a profile route.
 * - A profile route also needs the model in every destination region the profile may send the request to. AWS:
 *   "To restrict the role's access to specific inference profiles, modify the Resource list to contain only the
 *   inference profiles and foundation models that you want to allow access to" (Prerequisites for inference
 *   profiles, Bedrock user guide); the destination regions come from the catalog (the profile's model ARNs per
 *   source region). A global profile may route to any commercial region, so its model is allowed in every region,
 *   and on the region-less `arn:aws:bedrock:::foundation-model/<model>`, which the Bedrock user guide's "Global
 *   cross-Region inference" page lists beside the profile and the source region's model as the three resources a
 *   global call is authorized against (the access doctor checks the same three, `access/iam-simulation.ts`). Those
 *   statements hold only through the profiles (`bedrock:InferenceProfileArn`), so the role cannot call the model
 *   directly where it was not asked to.
 * - The catalog: `bedrock:ListFoundationModels` and `bedrock:ListInferenceProfiles` (no resource-level
 *   permissions), only in the regions the monitor scans.
 * - The store: `s3:PutObject` under its prefix, and `s3:ListBucket` limited to that prefix.
 * - The price table: `pricing:GetProducts`, only when a cost budget needs it.
 * A probe monitor sends only unsigned requests to the runtime endpoints, so it needs no invoke permission at all.
 */

interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[] | string;
  Condition?: Record<string, Record<string, string[] | string>>;
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: Statement[];
}

const INVOKE_STREAM = 'bedrock:InvokeModelWithResponseStream';

/** The profile's ARN: as given when the target is one, else in its source region (any account: the caller's own). */
function profileArn(planned: PlannedRoute): string {
  const id = planned.route.invokeId;
  if (id.startsWith('arn:')) return id;
  return `arn:aws:bedrock:${planned.route.callRegion}:*:inference-profile/${id}`;
}

const modelArn = (region: string, modelId: string) => `arn:aws:bedrock:${region}::foundation-model/${modelId}`;

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** `s3://bucket/prefix` → bucket and prefix (no leading or trailing slash); null for a local directory. */
export function s3Location(location: string): { bucket: string; prefix: string } | null {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location.trim());
  if (!match) return null;
  return { bucket: match[1]!, prefix: match[2]!.replace(/\/+$/, '') };
}

export function monitorPolicy(config: Pick<MonitorConfig, 'sinks' | 'budgets' | 'measure'>, plan: MonitorPlan, catalogRegions: readonly string[]): IamPolicy {
  const statements: Statement[] = [];
  if (config.measure.kind === 'latency') {
    const routes = plan.targets.flatMap((target) => target.routes);
    const direct = sorted(routes.map((planned) => (planned.route.kind === 'on-demand' ? modelArn(planned.route.callRegion, planned.resolved.modelId) : profileArn(planned))));
    statements.push({ Sid: 'MeasureRoutes', Effect: 'Allow', Action: [INVOKE_STREAM], Resource: direct });
    const throughProfiles = routes.filter((planned) => planned.route.kind !== 'on-demand');
    if (throughProfiles.length > 0) {
      const destinations = sorted(
        throughProfiles.flatMap((planned) =>
          planned.route.kind === 'global-profile' || planned.resolved.destinations.length === 0
            ? [modelArn('*', planned.resolved.modelId), `arn:aws:bedrock:::foundation-model/${planned.resolved.modelId}`]
            : [planned.route.callRegion, ...planned.resolved.destinations].map((region) => modelArn(region, planned.resolved.modelId)),
        ),
      );
      statements.push({
        Sid: 'MeasureProfileDestinations',
        Effect: 'Allow',
        Action: [INVOKE_STREAM],
        Resource: destinations,
        Condition: { ArnLike: { 'bedrock:InferenceProfileArn': sorted(throughProfiles.map(profileArn)) } },
      });
    }
  }
  statements.push({
    Sid: 'ReadCatalog',
    Effect: 'Allow',
    Action: ['bedrock:ListFoundationModels', 'bedrock:ListInferenceProfiles'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:RequestedRegion': sorted(catalogRegions) } },
  });
  const store = config.sinks.store ? s3Location(config.sinks.store.location) : null;
  if (store) {
    const under = store.prefix ? `${store.prefix}/` : '';
    statements.push({ Sid: 'WriteStore', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`arn:aws:s3:::${store.bucket}/${under}*`] });
    statements.push({
      Sid: 'ListStore',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [`arn:aws:s3:::${store.bucket}`],
      Condition: { StringLike: { 's3:prefix': [`${under}*`] } },
    });
  }
  if (config.budgets.maxCostPerDayUsd !== undefined) {
    statements.push({ Sid: 'ReadPrices', Effect: 'Allow', Action: ['pricing:GetProducts'], Resource: '*' });
  }
  return { Version: '2012-10-17', Statement: statements };
}
