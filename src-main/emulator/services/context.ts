import type { EmulatorData } from '../bedrock-data';
import type { PriceRecordings } from '../price-data';
import type { EmulatedQuota, QuotaRecordings } from '../quota-data';
import type { SeededStreams } from '../random';
import type { TokenBucket } from '../token-bucket';
import type { TrailLog } from '../trail-log';
import type { ObjectStore } from './s3-store';
import { perRegion, sampleDelay, sleep } from '../timing';
import type { UsageLog } from '../usage-log';
import type { EmulatorRequest } from '../wire';
import { QueryError } from './query-protocol';
import type { ServiceCall } from './service';

/**
 * What a service module may read and keep of the emulator instance that runs it: nothing lives at module level, so
 * two emulators in one process never share a request, a counter or a usage record.
 */
export interface ServiceContext {
  data: EmulatorData;
  quotas: QuotaRecordings;
  prices: PriceRecordings;
  /** The emulator's clock, epoch milliseconds (the wall clock unless `startEmulator` was given another). */
  now(): number;
  /** What the runtime has served since the scenario was set. */
  usage: UsageLog;
  /** CloudTrail's event history of the Bedrock calls since the scenario was set. */
  trail: TrailLog;
  /** S3's buckets and objects: like CloudTrail's history they outlive a change of scenario; a reset clears them. */
  objects: ObjectStore;
  /** Kept as long as the scenario in force: a new scenario (or a reset) starts it over. */
  state: ScenarioState;
  delays: SeededStreams;
  /** Closes the connection under a request without an answer, as a missing endpoint looks to a client. */
  dropConnection(request: EmulatorRequest): Promise<void>;
}

/** A RequestServiceQuotaIncrease the emulator took, as ListRequestedServiceQuotaChangeHistoryByQuota lists it. */
export interface QuotaIncreaseRequest {
  id: string;
  region: string;
  quotaCode: string;
  desiredValue: number;
  /** Epoch milliseconds. */
  created: number;
}

export class ScenarioState {
  readonly quotaIncreaseRequests: QuotaIncreaseRequest[] = [];
  /** Rate limits of the services, by what they limit (a service and region). */
  readonly buckets = new Map<string, TokenBucket>();
  /**
   * Each region's Bedrock quotas as the scenario serves them, made once: they change only with the scenario, and
   * making them again for every page of every region costs more than the answers do.
   */
  readonly quotasByRegion = new Map<string, EmulatedQuota[]>();
  private readonly counters = new Map<string, number>();

  /** Counts one more call under `key` and returns the count so far. */
  bump(key: string): number {
    const count = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, count);
    return count;
  }
}

export const UNRECOGNIZED_CLIENT = 'The security token included in the request is invalid.';

/**
 * What a regional service shares with Bedrock in a region: a region the account has not enabled refuses the
 * credentials, a hung region never answers, and every answer waits the region's control-plane latency. Returns
 * false when the request must be left unanswered.
 */
export async function regionalPreamble(call: ServiceCall): Promise<boolean> {
  const { region, scenario, context } = call;
  const enabled = context.data.regions.has(region) && !context.data.notEnabledRegions.includes(region) && !scenario.notEnabled.includes(region);
  await sleep(sampleDelay(perRegion(scenario.controlPlaneLatencyMs, region), context.delays, `service:${region}`));
  if (scenario.hang.includes(region)) return false;
  if (!enabled) throw new QueryError(400, 'UnrecognizedClientException', UNRECOGNIZED_CLIENT);
  return true;
}
