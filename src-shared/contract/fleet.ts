import { z } from 'zod';
import { method, ModelIdSchema, NoInput, RegionListSchema } from './define';
import { SinceSchema } from './latency';
import { CONTROL_CHARACTER } from './vantage';

/**
 * Team data (issue 19, section 4): the team's shared store of latency samples, written by `bedrock-atlas monitor`
 * as Hive-partitioned Parquet (`<store>/samples/vantage=<name>/date=YYYY-MM-DD/<run id>.parquet`, runs beside in
 * `<store>/runs/…`), read beside this machine's own history.
 *
 * The store is a local directory or an `s3://bucket/prefix` (the "Team data" setting, `teamStore`). A sync copies
 * new or changed parts into a local cache (S3: ListObjectsV2 page by page, a part downloaded again only when its
 * ETag changed; a directory: when its size or modification time did), reporting `fleet.sync.progress` and
 * cancellable with `cancelFleetSync`; what finished before a cancel is kept. Queries read the cached parts with
 * DuckDB together with the local history, whose rows are the vantage `local` ("this machine").
 *
 * A store degrades to what can be read, and says so (`FleetStatus.problems`): an unreachable or denied store keeps
 * the last cache readable; a part that is not Parquet (or is torn) is skipped and named, never fatal; a part written
 * by a newer Bedrock Atlas (a higher schema version) is read for the columns this version knows, and named.
 */

// ---- Where the store is -----------------------------------------------------------------------------------------

export type StoreLocation = { kind: 'directory'; path: string } | { kind: 's3'; bucket: string; prefix: string };

/** S3's rules for a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const isAbsolutePath = (text: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(text);

/**
 * Reads a store location: `s3://bucket` or `s3://bucket/prefix` (the prefix without its leading or trailing slash),
 * or an absolute directory path. Returns the reason when it is neither.
 */
export function parseStoreLocation(text: string): StoreLocation | { error: string } {
  const value = text.trim();
  if (value.length === 0) return { error: 'The team store is empty: give a directory or s3://bucket/prefix' };
  if (CONTROL_CHARACTER.test(value)) return { error: 'The team store may not contain control characters' };
  if (/^s3:\/\//i.test(value)) {
    const rest = value.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
    if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
      return { error: `"${bucket}" is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens): write s3://bucket/prefix` };
    }
    if (prefix.split('/').some((segment) => segment === '..' || segment === '.')) return { error: 'The S3 prefix may not contain . or .. segments' };
    return { kind: 's3', bucket, prefix };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { error: `Only a directory or s3://bucket/prefix can be a team store, not ${value.split('://')[0]}://` };
  if (!isAbsolutePath(value)) return { error: 'The team store directory must be an absolute path (or s3://bucket/prefix)' };
  return { kind: 'directory', path: value };
}

/** The location as one text: `s3://bucket/prefix` or the directory. */
export function formatStoreLocation(location: StoreLocation): string {
  return location.kind === 's3' ? `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}` : location.path;
}

/** The "Team data" setting: a directory or an s3:// prefix, or null for none. */
export const TeamStoreSettingSchema = z
  .string()
  .trim()
  .max(2048)
  .superRefine((value, context) => {
    const parsed = parseStoreLocation(value);
    if ('error' in parsed) context.addIssue({ code: 'custom', message: parsed.error });
  })
  .nullable();

// ---- Status ------------------------------------------------------------------------------------------------------

/**
 * What the store could not give: unreachable (no connection, no such bucket or directory), denied (no s3:ListBucket
 * or s3:GetObject; the message names it), download-failed (one part: the rest synced; tried again next sync),
 * corrupt (a part that is not readable Parquet: skipped until it changes), newer-schema (a part written by a newer
 * Bedrock Atlas: read for the columns this version knows).
 */
export type FleetProblemKind = 'unreachable' | 'denied' | 'download-failed' | 'corrupt' | 'newer-schema';

export interface FleetProblem {
  kind: FleetProblemKind;
  /** The part's key under the store (`samples/vantage=…/date=…/<run id>.parquet`); absent for the whole store. */
  part?: string;
  /** What happened, and the fix where there is one. */
  message: string;
}

export interface FleetVantage {
  /** `local` for this machine, else the store's vantage name. */
  name: string;
  /** What to show: `this machine` for local, the name otherwise. */
  label: string;
  /** Samples (successful or not) and runs readable now. */
  samples: number;
  runs: number;
  /** The first and last sample's time (ISO); null without samples. */
  firstAt: string | null;
  lastAt: string | null;
  /** Cached parts read for it (0 for local). */
  parts: number;
}

export interface FleetSyncTotals {
  /** Parts found in the store (every page listed). */
  listed: number;
  /** Parts downloaded (or copied) this sync: new or changed. */
  downloaded: number;
  /** Parts already cached unchanged: nothing fetched. */
  skipped: number;
  /** Parts whose download failed: named in the problems, tried again next sync. */
  failed: number;
  /** Bytes downloaded this sync. */
  bytes: number;
}

/** completed: every part listed is cached; partial: some failed; cancelled: stopped (what finished is kept); unreachable: the store could not be listed (the last cache stands). */
export type FleetSyncStatus = 'completed' | 'partial' | 'cancelled' | 'unreachable';

export interface FleetSyncResult extends FleetSyncTotals {
  syncId: string;
  location: string;
  status: FleetSyncStatus;
  startedAt: string;
  finishedAt: string;
  /** Cached parts removed because the store no longer has them. */
  removed: number;
  problems: FleetProblem[];
}

/** Sent as a sync goes: after the listing's pages and after each part. */
export interface FleetSyncProgress extends FleetSyncTotals {
  syncId: string;
  phase: 'listing' | 'downloading' | 'compacting' | 'done';
  /** Parts to download in all, once the listing is done (0 while listing). */
  toDownload: number;
}

export interface FleetStatus {
  /** The store in force (the setting, or the CLI's --store); null when none is set. */
  location: string | null;
  kind: StoreLocation['kind'] | null;
  /** A sync running now. */
  syncing: boolean;
  /** When the last sync that listed the store finished (ISO), and how the last attempt ended. */
  lastSyncAt: string | null;
  lastSync: FleetSyncResult | null;
  /** Parts in the local cache, and their bytes. */
  partsCached: number;
  bytesCached: number;
  /** Where the cache is kept. */
  cacheDir: string | null;
  /** This machine first, then the store's vantages by name. */
  vantages: FleetVantage[];
  /** The newest schema this version reads in full. */
  schemaVersion: number;
  problems: FleetProblem[];
}

// ---- Queries ------------------------------------------------------------------------------------------------------

export const TtftByVantageQuerySchema = z
  .object({
    target: ModelIdSchema,
    /** A duration (30m, 12h, 7d, 4w) or an ISO date; the last 30 days by default. */
    since: SinceSchema,
    regions: RegionListSchema.optional(),
    /** Include this machine's history as the vantage `local` (default true). */
    includeLocal: z.boolean().default(true),
  })
  .strict();
export type TtftByVantageQuery = z.input<typeof TtftByVantageQuerySchema>;

/** One vantage × call region: TTFT percentiles over the successful samples of the target (load runs left out). */
export interface VantageRegionTtft {
  vantage: string;
  region: string;
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export interface TtftByVantage {
  /** The target as asked, and the model id it resolved to when the catalog knows it. */
  target: string;
  modelId: string | null;
  since: string;
  /** Vantages and regions with samples, in order (local first, then by name; regions by name). */
  vantages: string[];
  regions: string[];
  cells: VantageRegionTtft[];
  /** What could not be read for this answer (corrupt or newer-schema parts). */
  problems: FleetProblem[];
}

export const SyncFleetInputSchema = z.object({}).strict().optional();

export const fleetMethods = {
  /** Where the team store is, when it was last synced, what the cache holds per vantage, and what could not be read. */
  fleetStatus: method<FleetStatus>()(NoInput),
  /**
   * Syncs the store into the local cache (concurrent calls share one sync). Progress as `fleet.sync.progress`; the
   * status after it as `fleet.status`. An unreachable store is an answer (status `unreachable`), not an error.
   */
  syncFleet: method<FleetSyncResult>()(SyncFleetInputSchema),
  /** Stops the running sync: parts already downloaded stay. True when there was one. */
  cancelFleetSync: method<{ cancelled: boolean }>()(NoInput),
  /** The vantages readable now (this machine first), with sample counts and date ranges. */
  fleetVantages: method<{ vantages: FleetVantage[] }>()(NoInput),
  /** p50/p90/p99 TTFT of a target per vantage × call region: the team view's table and heatmap. */
  ttftByVantage: method<TtftByVantage>()(TtftByVantageQuerySchema),
};
