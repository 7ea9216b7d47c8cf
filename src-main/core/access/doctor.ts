import type { FoundationModelLifecycle } from '@aws-sdk/client-bedrock';
import type { CatalogDocument, CatalogModel } from '../../../src-shared/catalog/document';
import { cellRoute, getModel } from '../../../src-shared/catalog/queries';
import { resolveRoute, RouteError, type ResolvedRoute } from '../../../src-shared/catalog/resolve-route';
import {
  ACCESS_CHECK_IDS,
  verdictOf,
  type AccessCheck,
  type AccessCheckId,
  type AccessReport,
  type CheckAccessInputSchema,
  type DestinationDecision,
} from '../../../src-shared/contract/access';
import type { WhoAmI } from '../../../src-shared/contract/identity';
import type { z } from 'zod';
import { explainBedrockCall } from '../aws/bedrock-call-errors';
import type { AwsClientPool } from '../aws/client-pool';
import { AwsCallError, classifyAwsError, explainAwsError } from '../aws/errors';
import { simulateContext, simulationContexts, UNSPECIFIED_REGION, worstDecision, type ContextResult } from './iam-simulation';
import { NotSimulatableError, principalOf, type Principal } from './principal';
import { quotaCheck } from '../quotas/route-check';
import type { ModelQuotasFrom } from '../quotas/service';

/**
 * The access doctor: can this caller call this route, and if not, why and what to change. Each check answers on
 * its own (pass, warn, fail, or unknown saying why); the independent ones run at once. Reports are kept per
 * principal and route while the app runs (IAM answers are not free), except those with an unknown that a retry
 * may answer (a dropped connection, credentials that expired mid-check); `recheck` asks again.
 */

type CheckAccessInput = z.output<typeof CheckAccessInputSchema>;

export const SIMULATOR_DENIED = 'your role cannot run the IAM policy simulator (iam:SimulatePrincipalPolicy)';
const SIMULATOR_DENIED_FIX = 'check with one real call instead (--live, or "Check with a live call"), or ask your administrator to allow iam:SimulatePrincipalPolicy on your own role';

/** A check as the doctor builds it: `transient` marks an unknown that a retry may answer (never cached). */
type Check = AccessCheck & { transient?: boolean };

/** The identity feature's words for what only AWS credentials can answer. */
const API_KEY_ONLY = 'needs AWS credentials (an API key covers Bedrock calls only)';

/** What the doctor needs of the catalog and identity features (their exports, as the feature graph hands them). */
export interface DoctorDependencies {
  clients: AwsClientPool;
  catalog: { get(): Promise<{ document: CatalogDocument }> };
  identity: { whoAmI(signal?: AbortSignal): Promise<WhoAmI> };
  /** The quotas feature: the route's quotas from its region. */
  quotas: { quotasFrom(modelId: string, region: string, signal?: AbortSignal): Promise<ModelQuotasFrom> };
  now?: () => Date;
}

const PLURAL = (count: number, one: string, many: string) => (count === 1 ? one : many);
const listOf = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const day = (date: Date | undefined) => (date ? date.toISOString().slice(0, 10) : null);

export class AccessDoctor {
  private readonly reports = new Map<string, AccessReport>();
  private readonly principals = new Map<string, Promise<Principal>>();

  constructor(private readonly deps: DoctorDependencies) {}

  async check(input: CheckAccessInput, signal?: AbortSignal): Promise<AccessReport> {
    const { target, from } = input;
    const [{ document }, who] = await Promise.all([
      this.deps.catalog.get(),
      this.deps.identity.whoAmI(signal).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ]);
    let route: ResolvedRoute | null = null;
    let routeError: RouteError | null = null;
    try {
      route = resolveRoute(document, target, from, { autoProfile: input.autoProfile });
    } catch (error) {
      // A target that resolves to nothing is a bad argument, not a verdict.
      if (!(error instanceof RouteError) || error.name === 'UnknownTarget') throw error;
      routeError = error;
    }
    const principalKey = who.ok ? (who.value.arn ?? `api-key:${who.value.apiKey?.kind ?? 'none'}`) : null;
    const key = `${principalKey}|${route?.invokeId ?? target}|${from}|live:${input.live}|auto:${input.autoProfile}`;
    const kept = principalKey !== null ? this.reports.get(key) : undefined;
    if (kept && !input.recheck) return { ...kept, target, cached: true, iamCalls: 0 };

    let iamCalls = 0;
    const countCalls = (calls: number) => (iamCalls += calls);
    const model = route?.model ?? (route ? null : modelOf(document, target));
    const noRoute = (id: AccessCheckId): Check => ({ id, status: 'unknown', message: `nothing to check: there is no route from ${from} (see offered)` });
    const checks: Check[] = await Promise.all([
      Promise.resolve(credentialsCheck(who, from)),
      Promise.resolve(offeredCheck(route, routeError, from)),
      route ? this.accountAccess(route, signal) : Promise.resolve(noRoute('account-access')),
      model ? this.lifecycle(model, from, signal) : Promise.resolve(noRoute('lifecycle')),
      route ? this.iamChecks(route, document, who, countCalls, signal) : Promise.resolve([noRoute('iam'), noRoute('organization-policy')]),
      route ? this.quota(route, signal) : Promise.resolve(noRoute('quota')),
      input.live ? (route ? this.liveCall(route, signal) : Promise.resolve(noRoute('live-call'))) : Promise.resolve([]),
    ]).then((answers) => answers.flat());
    checks.sort((a, b) => ACCESS_CHECK_IDS.indexOf(a.id) - ACCESS_CHECK_IDS.indexOf(b.id));

    const simulatorDenied = checks.some((check) => check.id === 'iam' && check.message.includes(SIMULATOR_DENIED));
    const public_: AccessCheck[] = checks.map(({ transient: _transient, ...check }) => check);
    const report: AccessReport = {
      target,
      from,
      invokeId: route?.invokeId ?? null,
      routeKind: route?.kind ?? null,
      verdict: verdictOf(public_),
      checks: public_,
      principal: who.ok ? (who.value.arn ?? null) : null,
      checkedAt: (this.deps.now?.() ?? new Date()).toISOString(),
      cached: false,
      iamCalls,
    };
    if (simulatorDenied && !input.live) report.checks = report.checks.map((check) => (check.id === 'organization-policy' ? { ...check, fix: SIMULATOR_DENIED_FIX } : check));
    if (principalKey !== null && !checks.some((check) => check.transient)) this.reports.set(key, report);
    return report;
  }

  private async accountAccess(route: ResolvedRoute, signal?: AbortSignal): Promise<Check> {
    const region = route.callRegion;
    const id = 'account-access';
    let answer;
    try {
      answer = await (await this.deps.clients.bedrock(region)).send(new (await import('@aws-sdk/client-bedrock')).GetFoundationModelAvailabilityCommand({ modelId: route.modelId }), { abortSignal: signal });
    } catch (error) {
      const explained = this.explain(error, 'Bedrock', region);
      if (explained.errorClass === 'accessDenied' || explained.errorClass === 'organizationPolicy') {
        return { id, status: 'unknown', message: `your role cannot read model access in ${region} (bedrock:GetFoundationModelAvailability)`, fix: 'check with a live call (--live)' };
      }
      return { id, status: 'unknown', message: `model access in ${region} could not be read: ${explained.message}`, ...(explained.fix ? { fix: explained.fix } : {}), transient: true };
    }
    const model = route.modelId;
    const console = `https://console.aws.amazon.com/bedrock/home?region=${region}#/modelaccess`;
    if (answer.regionAvailability === 'NOT_AVAILABLE') {
      if (route.kind === 'on-demand') return { id, status: 'fail', message: `${model} is not available to your account in ${region}`, fix: 'call it from a region where the matrix shows it, or through an inference profile' };
      return { id, status: 'warn', message: `${model} is not available in ${region} itself; the profile serves it from other regions`, fix: `if calls fail, check model access in the Bedrock console (${console})` };
    }
    if (answer.authorizationStatus === 'NOT_AUTHORIZED') {
      return { id, status: 'fail', message: `your account is not authorized for ${model} in ${region}`, fix: `request access in the Bedrock console (${console}); Marketplace models also need aws-marketplace:Subscribe` };
    }
    const agreement = answer.agreementAvailability;
    if (agreement?.status === 'PENDING') {
      return {
        id,
        status: 'fail',
        message: `${model}'s agreement is pending in ${region}: calls fail until it is in place${agreement.errorMessage ? ` (${agreement.errorMessage})` : ''}`,
        fix: `submit the provider's first-use form (use case details) in the Bedrock console (${console}) and wait for it to be accepted`,
      };
    }
    if (agreement?.status === 'NOT_AVAILABLE' || agreement?.status === 'ERROR') {
      return { id, status: 'fail', message: `${model}'s agreement is ${agreement.status.toLowerCase().replace('_', ' ')} in ${region}${agreement.errorMessage ? `: ${agreement.errorMessage}` : ''}`, fix: `accept the model's offer in the Bedrock console (${console})` };
    }
    if (answer.entitlementAvailability === 'NOT_AVAILABLE') {
      return { id, status: 'fail', message: `your account is not entitled to ${model} in ${region} (no Marketplace subscription)`, fix: `subscribe through the Bedrock console (${console}); it needs aws-marketplace:Subscribe` };
    }
    if (answer.authorizationStatus === 'AUTHORIZED') {
      return { id, status: 'pass', message: `${model} is authorized for your account in ${region} (agreement ${agreement?.status?.toLowerCase() ?? 'not needed'}, entitlement ${answer.entitlementAvailability?.toLowerCase() ?? 'not stated'})` };
    }
    return { id, status: 'unknown', message: `Bedrock did not say whether your account is authorized for ${model} in ${region}` };
  }

  private async lifecycle(model: CatalogModel, from: string, signal?: AbortSignal): Promise<Check> {
    const id = 'lifecycle';
    if (model.lifecycle === 'ACTIVE') return { id, status: 'pass', message: `${model.modelId} is ACTIVE` };
    if (model.lifecycle !== 'LEGACY') return { id, status: 'unknown', message: `the catalog does not give ${model.modelId}'s lifecycle (${model.lifecycle})` };
    // The dates are only in GetFoundationModel (and not in older answers): ask for them, and do without.
    let dates: FoundationModelLifecycle | undefined;
    try {
      const answer = await (await this.deps.clients.bedrock(from)).send(new (await import('@aws-sdk/client-bedrock')).GetFoundationModelCommand({ modelIdentifier: model.modelId }), { abortSignal: signal });
      dates = answer.modelDetails?.modelLifecycle;
    } catch {
      dates = undefined;
    }
    return legacyCheck(model.modelId, dates, this.deps.now?.() ?? new Date());
  }

  private async iamChecks(route: ResolvedRoute, document: CatalogDocument, who: Who, countCalls: (calls: number) => void, signal?: AbortSignal): Promise<Check[]> {
    const both = (status: Check['status'], message: string, extra: Partial<Check> = {}): Check[] => [
      { id: 'iam', status, message, ...extra },
      { id: 'organization-policy', status, message, ...extra },
    ];
    if (!who.ok) return both('unknown', 'who you are is not known, so your policies cannot be simulated (see credentials)', { transient: true });
    if (!who.value.arn) return both('unknown', `the IAM policy simulator ${API_KEY_ONLY}`, { fix: 'set AWS credentials beside the key, or check with a live call (--live)' });
    let principal: Principal;
    try {
      principal = await this.principal(who.value.arn, countCalls, signal);
    } catch (error) {
      if (error instanceof NotSimulatableError) return both('unknown', error.message, { fix: 'check with a live call (--live)' });
      return this.iamFailure(error, both);
    }
    let results: ContextResult[];
    try {
      const answers = await Promise.all(simulationContexts(route, principal.partition, principal.account).map((context) => simulateContext(this.deps.clients, principal.arn, context, signal)));
      countCalls(answers.reduce((sum, answer) => sum + answer.calls, 0));
      results = answers.map((answer) => answer.result);
    } catch (error) {
      countCalls(1);
      return this.iamFailure(error, both);
    }
    return judgeSimulation(route, document, results, principal);
  }

  private iamFailure(error: unknown, both: (status: Check['status'], message: string, extra?: Partial<Check>) => Check[]): Check[] {
    const explained = this.explain(error, 'IAM', 'us-east-1');
    if (explained.errorClass === 'accessDenied' || explained.errorClass === 'organizationPolicy') return both('unknown', SIMULATOR_DENIED, { fix: SIMULATOR_DENIED_FIX });
    return both('unknown', `the IAM policy simulator could not answer: ${explained.message}`, { ...(explained.fix ? { fix: explained.fix } : {}), transient: true });
  }

  /** The simulated principal per caller ARN, asked once while the app runs (a failed look-up is asked again). */
  private principal(callerArn: string, countCalls: (calls: number) => void, signal?: AbortSignal): Promise<Principal> {
    let answer = this.principals.get(callerArn);
    if (!answer) {
      if (callerArn.includes(':assumed-role/')) countCalls(1);
      answer = principalOf(callerArn, this.deps.clients, signal);
      this.principals.set(callerArn, answer);
      answer.catch(() => this.principals.delete(callerArn));
    }
    return answer;
  }

  private async liveCall(route: ResolvedRoute, signal?: AbortSignal): Promise<Check> {
    const id = 'live-call';
    const messages = [{ role: 'user' as const, content: [{ text: 'Reply with one word.' }] }];
    const started = performance.now();
    let tier: string | null = null;
    try {
      // Never retried: one call, and its answer is the check's.
      const client = await this.deps.clients.bedrockRuntime(route.callRegion, { retries: false, streaming: route.model?.streaming !== false });
      if (route.model?.streaming === false) {
        const answer = await client.send(new (await import('@aws-sdk/client-bedrock-runtime')).ConverseCommand({ modelId: route.invokeId, messages, inferenceConfig: { maxTokens: 1 } }), { abortSignal: signal });
        tier = answer.serviceTier?.type ?? null;
      } else {
        const response = await client.send(new (await import('@aws-sdk/client-bedrock-runtime')).ConverseStreamCommand({ modelId: route.invokeId, messages, inferenceConfig: { maxTokens: 1 } }), { abortSignal: signal });
        for await (const event of response.stream ?? []) if (event.metadata?.serviceTier?.type) tier = event.metadata.serviceTier.type;
      }
    } catch (error) {
      const explained = explainBedrockCall(error, route, this.deps.clients);
      if (/marked by provider as Legacy/i.test(explained.message)) {
        return { id, status: 'fail', message: `Bedrock refused the call: ${route.modelId} is LEGACY and this account has not used it recently`, fix: 'move to an ACTIVE model' };
      }
      const status = explained.errorClass === 'throttled' ? 'warn' : explained.errorClass === 'network' || explained.errorClass === 'timeout' ? 'unknown' : 'fail';
      return { id, status, message: `a 1-token ConverseStream through ${route.invokeId} from ${route.callRegion} failed: ${explained.message}`, ...(explained.fix ? { fix: explained.fix } : {}), ...(status === 'unknown' ? { transient: true } : {}) };
    }
    const ms = Math.round(performance.now() - started);
    const where = route.kind === 'on-demand' ? `served in ${route.callRegion}` : 'the answer does not say which region served it';
    return { id, status: 'pass', message: `a 1-token call through ${route.invokeId} from ${route.callRegion} answered in ${ms} ms (${where}${tier ? `, ${tier} tier` : ''})` };
  }

  private async quota(route: ResolvedRoute, signal?: AbortSignal): Promise<Check> {
    try {
      return quotaCheck(await this.deps.quotas.quotasFrom(route.modelId, route.callRegion, signal), route);
    } catch (error) {
      return { id: 'quota', status: 'unknown', message: `the quotas of ${route.callRegion} could not be read: ${this.deps.clients.redact((error as Error).message)}`, transient: true };
    }
  }

  private explain(error: unknown, service: string, region: string): AwsCallError {
    if (error instanceof AwsCallError) return error;
    return explainAwsError(error, { service, region, profile: this.deps.clients.profile, redact: (text) => this.deps.clients.redact(text) });
  }
}

type Who = { ok: true; value: WhoAmI } | { ok: false; error: unknown };

function modelOf(document: CatalogDocument, target: string): CatalogModel | null {
  const profile = Object.hasOwn(document.profiles, target) ? document.profiles[target] : undefined;
  return getModel(document, profile?.modelId ?? target) ?? null;
}

function credentialsCheck(who: Who, from: string): Check {
  const id = 'credentials';
  if (!who.ok) {
    const failure = who.error instanceof AwsCallError ? who.error : null;
    const errorClass = failure?.errorClass ?? classifyAwsError(who.error).errorClass;
    const message = (who.error as Error).message;
    const fix = failure?.fix ?? undefined;
    if (errorClass === 'credentials') return { id, status: 'fail', message, ...(fix ? { fix } : {}) };
    return { id, status: 'unknown', message, ...(fix ? { fix } : {}), transient: true };
  }
  const { arn, credentialSource, profile, apiKey } = who.value;
  const key = apiKey ? `; Bedrock calls use a ${apiKey.kind} API key${apiKey.region ? ` for ${apiKey.region}` : ''}` : '';
  if (apiKey?.kind === 'short-term' && apiKey.region && apiKey.region !== from) {
    return { id, status: 'fail', message: `this short-term API key works only in ${apiKey.region}`, fix: `call from ${apiKey.region}, or use a long-term key or AWS credentials` };
  }
  if (!arn) return { id, status: 'pass', message: `no AWS credentials${key}` };
  return { id, status: 'pass', message: `calling as ${arn} (${credentialSource}${profile ? `, profile ${profile}` : ''})${key}` };
}

function offeredCheck(route: ResolvedRoute | null, error: RouteError | null, from: string): Check {
  const id = 'offered';
  if (!route) {
    const suggestions = error?.suggestions ?? [];
    const fix =
      error?.name === 'NeedsInferenceProfile'
        ? `call ${suggestions[0] ?? 'an inference profile'} instead (or --auto-profile)`
        : suggestions.length > 0
          ? `call it from ${listOf(suggestions.slice(0, 6))}${suggestions.length > 6 ? ' or another region the matrix shows' : ''}`
          : undefined;
    return { id, status: 'fail', message: error?.message ?? `no route from ${from}`, ...(fix ? { fix } : {}) };
  }
  if (route.unconfirmed) return { id, status: 'unknown', message: `the catalog could not confirm ${from} (its scan failed): ${route.invokeId} is tried as asked`, fix: 'refresh the catalog', transient: true };
  const how =
    route.kind === 'on-demand'
      ? 'on demand'
      : route.kind === 'global-profile'
        ? 'a global profile: it may be served in any supported commercial region'
        : `a geo profile: it may be served in ${listOf(route.destinations)}`;
  return { id, status: 'pass', message: `${route.invokeId} is offered from ${from} (${how})${route.autoRoutedFrom ? `, routed automatically from ${route.autoRoutedFrom}` : ''}` };
}

/** A LEGACY model: callable by accounts that use it, refused to others, and gone at its end of life. */
export function legacyCheck(modelId: string, dates: FoundationModelLifecycle | undefined, now: Date): AccessCheck {
  const legacy = day(dates?.legacyTime);
  const extended = day(dates?.publicExtendedAccessTime);
  const end = day(dates?.endOfLifeTime);
  if (dates?.endOfLifeTime && dates.endOfLifeTime.getTime() <= now.getTime()) {
    return { id: 'lifecycle', status: 'fail', message: `${modelId} reached its end of life on ${end}: calls fail`, fix: 'move to an ACTIVE model' };
  }
  const when = [legacy ? `legacy since ${legacy}` : null, extended ? `public extended access from ${extended}, at higher prices` : null, end ? `end of life ${end}` : null].filter(Boolean);
  return {
    id: 'lifecycle',
    status: 'warn',
    message: `${modelId} is LEGACY (${when.length > 0 ? when.join('; ') : 'Bedrock gives no dates'}): an account that has not called it in recent weeks is refused ("This Model is marked by provider as Legacy")`,
    fix: `move to an ACTIVE model${end ? ` before ${end}` : ''}`,
  };
}

function regionLabel(region: string): string {
  return region === UNSPECIFIED_REGION ? 'the region-less (global) resource, aws:RequestedRegion "unspecified"' : region;
}

/** A region from which the same model is served on demand, for the fix: the source first, then allowed destinations. */
function onDemandAlternative(document: CatalogDocument, route: ResolvedRoute, allowed: readonly string[]): string | null {
  const candidates = [route.callRegion, ...allowed.filter((region) => region !== route.callRegion && region !== UNSPECIFIED_REGION)];
  return candidates.find((region) => cellRoute(document, route.modelId, region).onDemand) ?? null;
}

/** The iam and organization-policy checks from the simulator's answers (see iam-simulation.ts for what is asked). */
export function judgeSimulation(route: ResolvedRoute, document: CatalogDocument, results: readonly ContextResult[], principal: Principal): Check[] {
  const destinations: Record<string, DestinationDecision> = {};
  for (const result of results) {
    const decision = worstDecision([result.destination, result.profile].filter((entry): entry is DestinationDecision => entry !== null));
    if (decision) destinations[result.context.region] = decision;
  }
  const regions = Object.keys(destinations);
  const byOrganization = (entry: DestinationDecision | null) => entry !== null && entry.decision !== 'allowed' && entry.allowedByOrganizations === false;
  const byIam = (entry: DestinationDecision | null) => entry !== null && entry.decision !== 'allowed' && entry.allowedByOrganizations !== false;
  const allowed = regions.filter((region) => destinations[region]!.decision === 'allowed');
  const alternative = onDemandAlternative(document, route, allowed);
  const orElse = alternative ? `, or call ${alternative}'s on-demand id (${route.modelId}) instead` : ', or choose a route whose regions the policies allow';
  const profileDenied = (test: (entry: DestinationDecision | null) => boolean) => results.some((result) => test(result.profile));
  const note = principal.note ? ` (${principal.note})` : '';

  const judge = (id: 'iam' | 'organization-policy', denied: (entry: DestinationDecision | null) => boolean): Check => {
    const who = id === 'iam' ? 'your IAM policies' : 'an organization policy';
    const deniedRegions = regions.filter((region) => denied(destinations[region]!));
    const base = { id, destinations } as const;
    if (profileDenied(denied)) {
      return {
        ...base,
        status: 'fail',
        message: `${route.invokeId} itself is denied by ${who} in ${route.callRegion}: every call fails${note}`,
        fix: `ask your administrator to allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on the profile in ${route.callRegion}${orElse}`,
      };
    }
    if (deniedRegions.length === 0) {
      if (id === 'organization-policy' && regions.every((region) => destinations[region]!.allowedByOrganizations === null)) {
        return { ...base, status: 'pass', message: 'no organization policy applies (the simulator gives no organization decision: the account is in no organization)' };
      }
      const what = route.kind === 'on-demand' ? `in ${route.callRegion}` : `on every resource the route touches (${listOf(regions.map((region) => (region === UNSPECIFIED_REGION ? '"unspecified"' : region)))})`;
      return { ...base, status: 'pass', message: `${id === 'iam' ? `${principal.arn} may call` : 'no organization policy denies'} bedrock:InvokeModel and InvokeModelWithResponseStream ${what}${id === 'iam' ? note : ''}` };
    }
    const listed = listOf(deniedRegions.map(regionLabel));
    const verb = PLURAL(deniedRegions.length, 'is', 'are');
    if (route.kind === 'global-profile' && deniedRegions.includes(UNSPECIFIED_REGION)) {
      return {
        ...base,
        status: 'fail',
        message: `the global profile needs bedrock:InvokeModel on arn:aws:bedrock:::foundation-model/${route.modelId} with aws:RequestedRegion "unspecified", and ${who} deny${id === 'iam' ? '' : 'ies'} it: every call fails${note}`.replace('denyies', 'denies'),
        fix: `ask your administrator to add "unspecified" to the aws:RequestedRegion values ${id === 'iam' ? 'your policy allows' : 'the policy allows'} for that resource${orElse}`,
      };
    }
    const everyDestination = route.kind === 'on-demand' || route.kind === 'global-profile' || deniedRegions.length === regions.length;
    const fixRegions = listOf(deniedRegions.map(regionLabel));
    return {
      ...base,
      status: everyDestination ? 'fail' : 'warn',
      message: everyDestination
        ? `${listed} ${verb} denied by ${who}: calls through this route fail${note}`
        : `${listed} ${verb} denied by ${who}: requests routed there will fail (${deniedRegions.length} of ${regions.length} regions the profile may route to)${note}`,
      fix: `ask your administrator to allow bedrock:InvokeModel in ${fixRegions}${orElse}`,
    };
  };
  return [judge('iam', byIam), judge('organization-policy', byOrganization)];
}
