import type { CatalogDocument } from '../../../../src-shared/catalog/document';
import { WHERE_CALLABLE, type MonitorConfig, type MonitorTarget } from '../../../../src-shared/fleet/monitor-config';
import { requestCostBound, type PriceLookup } from '../../latency/cost';
import { planRun, setAsideUncallable, type PlannedRoute } from '../../latency/plan';
import { estimatedTokens, LATENCY_PROMPTS } from '../../latency/prompts';

/**
 * What a monitor will send, decided from its config and the catalog before anything is sent: each target's routes
 * (the lab's own planning, `where-callable` expanded from the catalog, route kinds filtered), the requests and
 * tokens of one cycle and of a day, and the most a cycle may cost at list prices.
 */

export interface TargetPlan {
  target: string;
  routes: PlannedRoute[];
  /** Regions asked for that cannot be measured, with why (not offered there, needs a profile…). */
  unavailable: Record<string, { code: string; message: string }>;
  /** Requests of one cycle for this target, warm-ups included (a probe's per region for a probe monitor). */
  requestsPerCycle: number;
  inputTokensPerCycle: number;
  outputTokensPerCycle: number;
  /** Upper bound at list prices (output at max tokens); null when a route's price is unknown. */
  costPerCycleUsd: number | null;
}

export interface MonitorPlan {
  kind: MonitorConfig['measure']['kind'];
  targets: TargetPlan[];
  /** A probe monitor probes each region once per cycle, whichever targets named it. */
  probeRegions: string[];
  requestsPerCycle: number;
  cyclesPerDay: number;
  requestsPerDay: number;
  inputTokensPerDay: number;
  outputTokensPerDay: number;
  /** The most requests one hour's cycles send (every slot of the hour taken). */
  requestsPerHourAtMost: number;
  costPerDayUsd: number | null;
}

/** A target the catalog does not know, or that no region can call: the config cannot be run as written. */
export class MonitorPlanError extends Error {
  override readonly name = 'MonitorPlanError';
}

/** Requests of one probe of one region: cold samples, the request that fills the pool, warm samples. */
export const probeRequests = (samples: number) => 2 * samples + 1;

export function cyclesPerHourAtMost(everyMinutes: number): number {
  return Math.ceil(60 / everyMinutes);
}

function targetRoutes(document: CatalogDocument, target: MonitorTarget): { routes: PlannedRoute[]; unavailable: TargetPlan['unavailable'] } {
  const plan = planRun(document, {
    target: target.target,
    regions: target.regions === WHERE_CALLABLE ? undefined : target.regions,
    // As the CLI's lab runs by default: a bare id a region serves only through profiles goes through its best one.
    autoProfile: true,
    // Route kinds asked: every route of the region is planned, then only those kinds are kept.
    compareRoutes: target.routeKinds !== undefined,
  });
  if (!target.routeKinds) return plan;
  const kinds = new Set<string>(target.routeKinds);
  const routes = plan.routes.filter((planned) => kinds.has(planned.route.kind));
  const unavailable = { ...plan.unavailable };
  for (const region of new Set(plan.routes.map((planned) => planned.route.callRegion))) {
    if (!routes.some((planned) => planned.route.callRegion === region)) {
      unavailable[region] = { code: 'NO_ROUTE_OF_KIND', message: `${target.target} has no ${target.routeKinds.join(' or ')} route from ${region}.` };
    }
  }
  return { routes, unavailable };
}

export function planMonitor(
  config: Pick<MonitorConfig, 'targets' | 'measure' | 'schedule'>,
  document: CatalogDocument,
  options: { prices: PriceLookup | null; refusal?: (region: string) => { code: string; message: string } | null },
): MonitorPlan {
  const { measure } = config;
  const cyclesPerDay = 1440 / config.schedule.everyMinutes;
  const targets = config.targets.map((target, index): TargetPlan => {
    let planned: ReturnType<typeof targetRoutes>;
    try {
      planned = setAsideUncallable(targetRoutes(document, target), options.refusal ?? (() => null));
    } catch (error) {
      throw new MonitorPlanError(`targets[${index}].target: ${(error as Error).message}`);
    }
    if (planned.routes.length === 0) {
      const why = Object.entries(planned.unavailable).map(([region, problem]) => `${region}: ${problem.message}`);
      throw new MonitorPlanError(`targets[${index}]: ${target.target} has no route to measure${why.length > 0 ? ` (${why.join('; ')})` : ''}.`);
    }
    if (measure.kind === 'probe') {
      return { target: target.target, ...planned, requestsPerCycle: 0, inputTokensPerCycle: 0, outputTokensPerCycle: 0, costPerCycleUsd: 0 };
    }
    const perRoute = measure.runs + measure.warmup;
    const requests = planned.routes.length * perRoute;
    const inputTokens = estimatedTokens(LATENCY_PROMPTS[measure.promptSize]);
    const bounds = planned.routes.map((route) => (options.prices ? requestCostBound(options.prices, route, measure, inputTokens) : null));
    return {
      target: target.target,
      ...planned,
      requestsPerCycle: requests,
      inputTokensPerCycle: requests * inputTokens,
      outputTokensPerCycle: requests * measure.maxTokens,
      costPerCycleUsd: bounds.every((bound) => bound !== null) ? bounds.reduce<number>((sum, bound) => sum + (bound ?? 0) * perRoute, 0) : null,
    };
  });
  const probeRegions = measure.kind === 'probe' ? [...new Set(targets.flatMap((target) => target.routes.map((planned) => planned.route.callRegion)))] : [];
  const requestsPerCycle = measure.kind === 'probe' ? probeRegions.length * probeRequests(measure.runs) : targets.reduce((sum, target) => sum + target.requestsPerCycle, 0);
  const sum = (read: (target: TargetPlan) => number) => targets.reduce((total, target) => total + read(target), 0);
  const costs = targets.map((target) => target.costPerCycleUsd);
  return {
    kind: measure.kind,
    targets,
    probeRegions,
    requestsPerCycle,
    cyclesPerDay,
    requestsPerDay: Math.round(requestsPerCycle * cyclesPerDay),
    inputTokensPerDay: Math.round(sum((target) => target.inputTokensPerCycle) * cyclesPerDay),
    outputTokensPerDay: Math.round(sum((target) => target.outputTokensPerCycle) * cyclesPerDay),
    requestsPerHourAtMost: requestsPerCycle * cyclesPerHourAtMost(config.schedule.everyMinutes),
    costPerDayUsd: costs.every((cost) => cost !== null) ? costs.reduce<number>((total, cost) => total + (cost ?? 0), 0) * cyclesPerDay : null,
  };
}
