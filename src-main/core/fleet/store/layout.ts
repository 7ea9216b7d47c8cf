import { isAbsolute, resolve } from 'node:path';
import type { StoreTableName } from './schema';

/**
 * Where the team store is and how its parts are named. The layout is Hive-partitioned, the way Athena, Glue,
 * Spark and DuckDB's `hive_partitioning` read a data lake with no catalog of its own:
 *
 *   <store>/samples/vantage=<name>/date=YYYY-MM-DD/<run id>.parquet
 *   <store>/probes/vantage=<name>/date=YYYY-MM-DD/<run id>.parquet
 *   <store>/runs/vantage=<name>/date=YYYY-MM-DD/<run id>.parquet
 *
 * `date` is the UTC day the cycle started. A part is named by its run id, which is unique per cycle whatever the
 * vantage point, so two monitors sharing a vantage name write distinct parts, and a retried upload of the same
 * cycle replaces its own part rather than adding a copy.
 */

export class InvalidStoreLocation extends Error {
  override readonly name = 'InvalidStoreLocation';
}

export type StoreLocation =
  | { kind: 'directory'; path: string }
  | {
      kind: 's3';
      bucket: string;
      /** The key prefix every part's key starts with: empty, or ending in `/`. */
      prefix: string;
    };

/**
 * Vantage names and run ids appear verbatim in paths, S3 keys and Hive partition values, so they are restricted to
 * characters that need no escaping in any of them: lowercase letters, digits, `.`, `_` and `-`, starting with a
 * letter or a digit (so never `.` or `..`), at most 63 characters. Lowercase only, because a directory store on a
 * case-insensitive disk (macOS, Windows) would merge `Berlin` and `berlin` where S3 keeps them apart.
 */
const VANTAGE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** Run ids: the same characters, either case (a UUID, or a monitor's own id), up to 128. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const VANTAGE_NAME_RULE = 'lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters';

/** Why `name` cannot name a vantage point, or null when it can. */
export function vantageNameProblem(name: string): string | null {
  if (VANTAGE_NAME.test(name)) return null;
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  return `the vantage name ${shown} cannot name a store partition: use ${VANTAGE_NAME_RULE}`;
}

/** Why `runId` cannot name a part, or null when it can. */
export function runIdProblem(runId: string): string | null {
  if (RUN_ID.test(runId)) return null;
  return `the run id ${JSON.stringify(runId.slice(0, 140))} cannot name a part: use letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128 characters`;
}

/** The UTC day of an instant, as the `date=` partition spells it. */
export function partitionDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** A part's path inside the store (an S3 key under the prefix, or a path under the directory), `/`-separated. */
export function partKey(table: StoreTableName, vantage: string, date: string, runId: string): string {
  return `${table}/vantage=${vantage}/date=${date}/${runId}.parquet`;
}

const PART_KEY = /^(samples|probes|runs)\/vantage=[a-z0-9][a-z0-9._-]{0,62}\/date=\d{4}-\d{2}-\d{2}\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.parquet$/;

/** Whether `key` is a part's path as `partKey` makes it (what a spool file may name, nothing outside the store). */
export function isPartKey(key: string): boolean {
  return PART_KEY.test(key);
}

/** Everything a bucket name may be (S3's general purpose bucket rules), checked before any call. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
/** S3 keys are at most 1024 bytes; the longest part name under the prefix takes about 240 of them. */
const MAX_PREFIX_BYTES = 700;

const LOCATION_FORMS = 'a directory or s3://bucket/prefix';

/**
 * The store location a user gave: `s3://bucket[/prefix]`, or a directory (relative to `cwd`). Any other URL, a
 * bad bucket name or a prefix with empty, `.` or `..` segments is an InvalidStoreLocation that says what is wrong.
 */
export function parseStoreLocation(text: string, cwd: string = process.cwd()): StoreLocation {
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidStoreLocation(`The store location is empty: give ${LOCATION_FORMS}.`);
  if (CONTROL.test(trimmed)) throw new InvalidStoreLocation(`The store location ${JSON.stringify(trimmed)} has control characters.`);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(trimmed)?.[1];
  if (scheme === undefined) return { kind: 'directory', path: isAbsolute(trimmed) ? resolve(trimmed) : resolve(cwd, trimmed) };
  if (scheme !== 's3') throw new InvalidStoreLocation(`The store location ${JSON.stringify(trimmed)} is a ${scheme}:// URL: give ${LOCATION_FORMS}.`);
  const rest = trimmed.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefixText = slash === -1 ? '' : rest.slice(slash + 1);
  if (bucket === '') throw new InvalidStoreLocation(`The store location ${JSON.stringify(trimmed)} names no bucket: give s3://bucket/prefix.`);
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..') || IP_ADDRESS.test(bucket)) {
    throw new InvalidStoreLocation(
      `"${bucket}" is not an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit.`,
    );
  }
  const segments = prefixText.replace(/\/+$/, '').split('/');
  if (prefixText.replace(/\/+$/, '') === '') return { kind: 's3', bucket, prefix: '' };
  const bad = segments.find((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('\\'));
  if (bad !== undefined) {
    throw new InvalidStoreLocation(`The prefix "${prefixText}" of ${trimmed} has an empty, ".", ".." or backslashed segment: give s3://bucket/a/b.`);
  }
  const prefix = `${segments.join('/')}/`;
  if (Buffer.byteLength(prefix) > MAX_PREFIX_BYTES) throw new InvalidStoreLocation(`The prefix of ${trimmed} is longer than ${MAX_PREFIX_BYTES} bytes.`);
  return { kind: 's3', bucket, prefix };
}

/** The location as a user writes it (a directory's absolute path, or `s3://bucket/prefix/`). */
export function locationText(location: StoreLocation): string {
  return location.kind === 'directory' ? location.path : `s3://${location.bucket}/${location.prefix}`;
}
