import type { FoundationModelSummary, InferenceProfileSummary } from '@aws-sdk/client-bedrock';
import pLimit from 'p-limit';
import type { RegionError } from '../../../src-shared/catalog/document';
import type { RegionProgress } from '../../../src-shared/events';
import type { AwsClientPool } from '../aws/client-pool';
import { explainAwsError } from '../aws/errors';

/**
 * Discovery through the Bedrock APIs: ListFoundationModels and every page of ListInferenceProfiles per region.
 * List calls are rate limited per region, so every region is scanned at once, each with its own small limit;
 * a global worker pool would only queue fast regions behind slow ones.
 */

export type RegionScan =
  | { region: string; ok: true; models: FoundationModelSummary[]; profiles: InferenceProfileSummary[]; durationMs: number }
  | { region: string; ok: false; error: RegionError; durationMs: number };

export interface ScanOptions {
  clients: AwsClientPool;
  /** Whole-scan cancellation. */
  signal?: AbortSignal;
  /** Gives up on one region after this long (its retries included); the region is then recorded as failed. */
  regionTimeoutMs?: number;
  /** Calls in flight per region at most. */
  perRegionConcurrency?: number;
  onProgress?: (progress: Omit<RegionProgress, 'scanId' | 'completed' | 'total' | 'waiting'>) => void;
}

export const DEFAULT_REGION_TIMEOUT_MS = 30_000;

export class ScanCancelledError extends Error {
  override readonly name = 'ScanCancelledError';
  readonly code = 'CANCELLED';
}

/** A failed region as the catalog records it: the class, the service's own error name, and the message with its fix. */
export function regionErrorOf(error: unknown, region: string, clients: Pick<AwsClientPool, 'profile' | 'redact'>, timedOut: boolean): RegionError {
  if (timedOut) {
    return { code: 'RegionTimeout', errorClass: 'timeout', message: `${region} did not answer in time; it may be unreachable from this network.` };
  }
  const explained = explainAwsError(error, { service: 'Bedrock', region, profile: clients.profile, redact: (text) => clients.redact(text) });
  return { code: explained.name, errorClass: explained.errorClass, message: explained.message };
}

export async function scanRegion(region: string, options: ScanOptions): Promise<RegionScan> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(options.regionTimeoutMs ?? DEFAULT_REGION_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const limit = pLimit(options.perRegionConcurrency ?? 2);
  options.onProgress?.({ region, phase: 'started' });
  try {
    const client = await options.clients.bedrock(region);
    const { ListFoundationModelsCommand, ListInferenceProfilesCommand } = await import('@aws-sdk/client-bedrock');
    const listModels = limit(() => client.send(new ListFoundationModelsCommand({}), { abortSignal: signal }));
    const listProfiles = limit(async () => {
      const profiles: InferenceProfileSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED', maxResults: 1000, nextToken }),
          { abortSignal: signal },
        );
        profiles.push(...(page.inferenceProfileSummaries ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return profiles;
    });
    const [modelsPage, profiles] = await Promise.all([listModels, listProfiles]);
    const models = modelsPage.modelSummaries ?? [];
    const durationMs = Math.round(performance.now() - started);
    options.onProgress?.({ region, phase: 'done', modelCount: models.length, profileCount: profiles.length, durationMs });
    return { region, ok: true, models, profiles, durationMs };
  } catch (error) {
    if (options.signal?.aborted) throw new ScanCancelledError('The scan was cancelled.');
    const durationMs = Math.round(performance.now() - started);
    const regionError = regionErrorOf(error, region, options.clients, timeout.aborted);
    options.onProgress?.({ region, phase: 'failed', error: regionError, durationMs });
    return { region, ok: false, error: regionError, durationMs };
  }
}

/** Scans every region at once and waits for each; one region failing never fails the scan. Throws only when cancelled. */
export async function scanRegions(regions: readonly string[], options: ScanOptions): Promise<RegionScan[]> {
  return Promise.all(regions.map((region) => scanRegion(region, options)));
}

/**
 * How long a scan waits for its last regions. Once all but a few have answered (one region in ten, at least one),
 * those still out are given until max(`minGraceMs`, `slowestMultiple` x the slowest region that answered) since
 * the scan started. A region that never answers then costs seconds, not the 30 s region timeout.
 */
export interface StragglerRule {
  minGraceMs: number;
  slowestMultiple: number;
}

export const STRAGGLER_RULE: StragglerRule = { minGraceMs: 5_000, slowestMultiple: 3 };

/** What a per-region fetch answers, whatever it fetched: the catalog's scans, the quotas' readings. */
export interface RegionOutcome {
  region: string;
  ok: boolean;
  durationMs: number;
}

export interface CutOff<Outcome extends RegionOutcome> {
  /** One per region, in the order asked. A straggler appears as `timedOut` made it (still being waited for). */
  scans: Outcome[];
  /**
   * The stragglers' requests, still running: each settles with the region's real outcome (rejecting only when the
   * scan is cancelled), bounded by the region timeout.
   */
  stragglers: Map<string, Promise<Outcome>>;
}

export type CutOffScan = CutOff<RegionScan>;

export function stragglerError(region: string, waitedMs: number, slowestMs: number): RegionError {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return {
    code: 'RegionTimeout',
    errorClass: 'timeout',
    message: `${region} has not answered after ${seconds(waitedMs)} (the other regions took at most ${seconds(slowestMs)}); it is still being waited for in the background.`,
  };
}

/**
 * Runs `fetchRegion` in every region at once and answers when all have, or when only stragglers are left and their
 * grace is over (`StragglerRule`); a straggler answers as `timedOut` says. Their requests keep going. Rejects only
 * when a fetch rejects (a cancellation) before the answer.
 */
export function cutOffStragglers<Outcome extends RegionOutcome>(
  regions: readonly string[],
  fetchRegion: (region: string) => Promise<Outcome>,
  { stragglerRule = STRAGGLER_RULE, timedOut }: { stragglerRule?: StragglerRule; timedOut: (region: string, error: RegionError, waitedMs: number) => Outcome },
): Promise<CutOff<Outcome>> {
  const rule = stragglerRule;
  const mostStragglers = Math.max(1, Math.floor(regions.length / 10));
  const started = performance.now();
  const running = new Map(regions.map((region) => [region, fetchRegion(region)] as const));
  const answered = new Map<string, Outcome>();
  let slowestMs = 0;
  return new Promise<CutOff<Outcome>>((resolve, reject) => {
    let settled = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const answer = () => {
      settled = true;
      clearTimeout(grace);
      const waitedMs = Math.round(performance.now() - started);
      const stragglers = new Map([...running].filter(([region]) => !answered.has(region)));
      const scans = regions.map((region): Outcome => answered.get(region) ?? timedOut(region, stragglerError(region, waitedMs, slowestMs), waitedMs));
      resolve({ scans, stragglers });
    };
    if (regions.length === 0) answer();
    for (const [region, scan] of running) {
      scan.then(
        (result) => {
          if (settled) return;
          answered.set(region, result);
          slowestMs = Math.max(slowestMs, result.durationMs);
          clearTimeout(grace);
          const left = regions.length - answered.size;
          if (left === 0) answer();
          else if (left <= mostStragglers) {
            const deadline = Math.max(rule.minGraceMs, rule.slowestMultiple * slowestMs);
            grace = setTimeout(answer, Math.max(0, deadline - (performance.now() - started)));
          }
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(grace);
          reject(error);
        },
      );
    }
  });
}

/** The catalog scan with the straggler rule: Bedrock's lists in every region (`scanRegion`). */
export function scanCuttingOffStragglers(regions: readonly string[], options: ScanOptions & { stragglerRule?: StragglerRule }): Promise<CutOffScan> {
  return cutOffStragglers(regions, (region) => scanRegion(region, options), {
    stragglerRule: options.stragglerRule,
    timedOut: (region, error, durationMs): RegionScan => ({ region, ok: false, error, durationMs }),
  });
}
