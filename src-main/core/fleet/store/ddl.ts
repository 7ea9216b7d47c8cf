import { InvalidStoreLocation, parseStoreLocation } from './layout';
import { ATHENA_TYPES, FLEET_SCHEMA_VERSION, STORE_TABLES, type StoreTableName } from './schema';

/**
 * The Athena (Glue Data Catalog) tables over an S3 store, with partition projection so Athena computes the
 * partitions from the table's properties: no crawler, no MSCK REPAIR, no ALTER TABLE ADD PARTITION as monitors
 * add vantage points and days. The properties follow Athena's documentation:
 *
 * - "Supported types for partition projection"
 *   (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html): "A table can have any
 *   combination of enum, integer, date, or injected partition column types." A date column needs
 *   `projection.<column>.range` ("NOW" may end it) and `projection.<column>.format`; `interval` and `interval.unit`
 *   may be omitted at a day's precision (we give them anyway: 1 DAYS).
 * - "Use dynamic ID partitioning"
 *   (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html): with the
 *   injected type, "Your query must include at least one value for the partition key" and "The value(s) must be
 *   literals or expressions that can be evaluated without reading any data", otherwise the query fails with
 *   "CONSTRAINT_VIOLATION: For the injected projected partition column column_name, the WHERE clause must contain
 *   only static equality conditions, and at least one such condition must be present." So every Athena query of
 *   the store names its vantage points (`WHERE vantage IN ('berlin', 'ecs-us-west-2')`): vantage names are not
 *   known in advance, which is what the injected type is for.
 * - `storage.location.template` ("s3://…/${device_id}" in that page's example) maps the partition values to the
 *   Hive paths the store writes.
 *
 * `date` is a reserved word in Athena's DDL, so it is quoted with backticks here and with double quotes in queries.
 */

export const DEFAULT_ATHENA_DATABASE = 'bedrock_atlas';
/** The first day the date projection covers: stores are no older than this format. */
export const DEFAULT_FIRST_DATE = '2026-01-01';

export interface AthenaDdlOptions {
  /** `s3://bucket/prefix`: the store's location. */
  location: string;
  /** The Glue database; `bedrock_atlas` by default. */
  database?: string;
  /** The first `date=` partition (YYYY-MM-DD) the projection covers; 2026-01-01 by default. */
  firstDate?: string;
}

/** A database name or first date Athena cannot take. */
export class InvalidDdlOption extends Error {
  override readonly name = 'InvalidDdlOption';
}

const DATABASE_NAME = /^[a-z0-9_]{1,255}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkedFirstDate(text: string): string {
  const day = DATE.test(text) ? new Date(`${text}T00:00:00Z`) : null;
  // 2026-02-30 parses as March 2nd: a real day reads back as itself.
  const valid = day !== null && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
  if (!valid) throw new InvalidDdlOption(`The first date "${text}" is not a day as YYYY-MM-DD.`);
  return text;
}

/** Hive DDL comments are single-quoted strings: the column meanings keep their words, never break the quoting. */
const comment = (text: string) => text.replace(/\\/g, '').replace(/'/g, '’');

function tableDdl(name: StoreTableName, database: string, root: string, firstDate: string): string {
  const table = STORE_TABLES.find((candidate) => candidate.name === name);
  // `vantage` is a partition column: Athena takes it from the path, so it is not listed among the data columns.
  const columns = (table?.columns ?? []).filter((column) => column.name !== 'vantage');
  const location = `${root}${name}/`;
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.${name} (`,
    columns.map((column) => `  ${column.name} ${ATHENA_TYPES[column.type]} COMMENT '${comment(column.meaning)}'`).join(',\n'),
    ')',
    `COMMENT '${comment(table?.meaning ?? name)}'`,
    "PARTITIONED BY (vantage string COMMENT 'The vantage point', `date` string COMMENT 'The UTC day the cycle started, YYYY-MM-DD')",
    'STORED AS PARQUET',
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    "  'projection.enabled' = 'true',",
    "  'projection.vantage.type' = 'injected',",
    "  'projection.date.type' = 'date',",
    "  'projection.date.format' = 'yyyy-MM-dd',",
    `  'projection.date.range' = '${firstDate},NOW',`,
    "  'projection.date.interval' = '1',",
    "  'projection.date.interval.unit' = 'DAYS',",
    `  'storage.location.template' = '${location}vantage=\${vantage}/date=\${date}/'`,
    ');',
  ].join('\n');
}

/**
 * The statements that create the database and the samples, probes and runs tables over the store. Throws
 * InvalidStoreLocation for anything but a valid `s3://` location, InvalidDdlOption for a bad database name or date.
 */
export function athenaDdl({ location, database = DEFAULT_ATHENA_DATABASE, firstDate = DEFAULT_FIRST_DATE }: AthenaDdlOptions): string {
  const parsed = parseStoreLocation(location);
  if (parsed.kind !== 's3') throw new InvalidStoreLocation(`Athena reads S3 only: give the store as s3://bucket/prefix, not the directory ${parsed.path}.`);
  // A quote or `${` would end a DDL string or a template early; S3 keys may hold them, the store's prefix may not.
  if (/['"`]|\$\{/.test(parsed.prefix)) throw new InvalidStoreLocation(`The prefix "${parsed.prefix}" has a quote or "\${", which Athena's DDL cannot carry.`);
  const name = database.trim().toLowerCase();
  if (!DATABASE_NAME.test(name)) throw new InvalidDdlOption(`"${database}" is not an Athena database name: letters, digits and "_", at most 255.`);
  const root = `s3://${parsed.bucket}/${parsed.prefix}`;
  const first = checkedFirstDate(firstDate);
  return [
    `-- The Bedrock Atlas team store at ${root}, schema version ${FLEET_SCHEMA_VERSION}: run these in Athena (engine 3) once.`,
    '-- Partition projection finds every vantage point and day with no crawler; a query must name its vantage points:',
    "--   WHERE vantage IN ('berlin', 'ecs-us-west-2')",
    `CREATE DATABASE IF NOT EXISTS ${name};`,
    ...(['samples', 'probes', 'runs'] as const).map((table) => tableDdl(table, name, root, first)),
  ].join('\n\n');
}
