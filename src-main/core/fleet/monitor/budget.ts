import type { MonitorConfig } from '../../../../src-shared/fleet/monitor-config';
import { probeRequests, type MonitorPlan } from './plan';

/**
 * The monitor's budgets: at most so many requests in any hour (a sliding window over what the cycles sent), and at
 * most so many dollars a day (UTC) at list prices. A cycle that would go over is trimmed to fewer runs per route
 * (fewer samples per region for a probe), or skipped when not even one fits; either way the log line says why.
 */

export interface CycleAllowance {
  /** Measured runs per route (samples per region for a probe) this cycle may send; 0: skip the cycle. */
  runs: number;
  /** The requests those runs send, warm-ups included. */
  requests: number;
  /** Why fewer runs than configured, or why none; null when the cycle runs as configured. */
  reason: string | null;
}

const HOUR_MS = 3_600_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

export class MonitorBudget {
  private sent: { at: number; requests: number }[] = [];
  private spent: { day: string; usd: number } = { day: '', usd: 0 };

  constructor(
    private readonly budgets: MonitorConfig['budgets'],
    private readonly measure: MonitorConfig['measure'],
  ) {}

  /** Requests sent in the hour before `now`. */
  sentInLastHour(now: number): number {
    this.sent = this.sent.filter((entry) => entry.at > now - HOUR_MS);
    return this.sent.reduce((sum, entry) => sum + entry.requests, 0);
  }

  spentToday(now: number): number {
    return this.spent.day === dayOf(now) ? this.spent.usd : 0;
  }

  /** How much of the plan's cycle may run now. */
  allow(plan: MonitorPlan, now: number): CycleAllowance {
    const configured = this.measure.runs;
    const left = this.budgets.maxRequestsPerHour - this.sentInLastHour(now);
    const reasons: string[] = [];
    let runs = configured;
    if (plan.kind === 'probe') {
      const regions = plan.probeRegions.length;
      const byRequests = Math.floor((left / Math.max(1, regions) - 1) / 2);
      if (byRequests < runs) {
        runs = Math.max(0, byRequests);
        reasons.push(`maxRequestsPerHour ${this.budgets.maxRequestsPerHour} leaves ${Math.max(0, left)} requests this hour`);
      }
      return { runs, requests: runs > 0 ? regions * probeRequests(runs) : 0, reason: reasons.length > 0 ? reasons.join('; ') : null };
    }
    const warmup = this.measure.kind === 'latency' ? this.measure.warmup : 0;
    const routes = plan.targets.reduce((sum, target) => sum + target.routes.length, 0);
    const byRequests = Math.floor(left / Math.max(1, routes)) - warmup;
    if (byRequests < runs) {
      runs = Math.max(0, byRequests);
      reasons.push(`maxRequestsPerHour ${this.budgets.maxRequestsPerHour} leaves ${Math.max(0, left)} requests this hour for ${routes} routes`);
    }
    const maxUsd = this.budgets.maxCostPerDayUsd;
    if (maxUsd !== undefined) {
      const perCycle = plan.targets.map((target) => target.costPerCycleUsd);
      if (perCycle.some((cost) => cost === null)) {
        // An unknown price is never taken for $0: the cost budget cannot be kept, so nothing is sent.
        const unknown = plan.targets.filter((target) => target.costPerCycleUsd === null).map((target) => target.target);
        return { runs: 0, requests: 0, reason: `maxCostPerDayUsd is set but the price of ${unknown.join(', ')} is unknown, so no cycle can be kept within it` };
      }
      const perRequestRun = perCycle.reduce<number>((sum, cost) => sum + (cost ?? 0), 0) / (configured + warmup);
      const leftUsd = maxUsd - this.spentToday(now);
      const byCost = perRequestRun > 0 ? Math.floor(leftUsd / perRequestRun + 1e-9) - warmup : runs;
      if (byCost < runs) {
        runs = Math.max(0, byCost);
        reasons.push(`maxCostPerDayUsd $${maxUsd} leaves $${Math.max(0, leftUsd).toFixed(4)} today`);
      }
    }
    return { runs, requests: runs > 0 ? routes * (runs + warmup) : 0, reason: reasons.length > 0 ? reasons.join('; ') : null };
  }

  /** What a cycle sent, counted against the hour, and what it cost (at list prices), against the day. */
  record(at: number, requests: number, usd: number): void {
    if (requests > 0) this.sent.push({ at, requests });
    const day = dayOf(at);
    this.spent = { day, usd: (this.spent.day === day ? this.spent.usd : 0) + usd };
  }
}
