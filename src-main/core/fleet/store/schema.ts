import type { ProbeSampleRow, SampleRow } from '../../latency/history-store';
import type { FleetCycle } from '../cycle';

/**
 * The team store's tables and columns, versioned. A column list only ever grows: a new column is appended with the
 * version that added it, nothing is renamed, retyped or removed, so a reader built for an older version reads the
 * columns it knows from any newer part (Parquet columns are found by name) and a reader of a newer version reads
 * an older part's missing columns as NULL. Every part carries `schema_version`, the version it was written with.
 * The sample and probe columns are the local history's own (latency_samples and probe_samples, same snake_case
 * names, same types), so team data reads back like local history, plus where it was measured from.
 * docs/fleet.md documents every column; a test checks it against this list.
 */

export const FLEET_SCHEMA_VERSION = 1;

/** DuckDB's types as the Parquet writer stores them; every timestamp is UTC (the history's TIMESTAMP, no zone). */
export type StoreColumnType = 'VARCHAR' | 'TIMESTAMP' | 'DOUBLE' | 'INTEGER' | 'BOOLEAN';

/** What a column holds for one row: timestamps as epoch milliseconds. */
export type CellValue = string | number | boolean | null;

export interface StoreColumn<Row> {
  name: string;
  type: StoreColumnType;
  /** The schema version that added it. */
  since: number;
  meaning: string;
  value(row: Row, cycle: FleetCycle): CellValue;
}

export type StoreTableName = 'samples' | 'runs' | 'probes';

export interface StoreTable<Row> {
  name: StoreTableName;
  meaning: string;
  columns: readonly StoreColumn<Row>[];
  rows(cycle: FleetCycle): readonly Row[];
}

/** The Athena (Hive DDL) type of each column type. */
export const ATHENA_TYPES: Record<StoreColumnType, string> = {
  VARCHAR: 'string',
  TIMESTAMP: 'timestamp',
  DOUBLE: 'double',
  INTEGER: 'int',
  BOOLEAN: 'boolean',
};

const vantage = <Row>(): StoreColumn<Row> => ({
  name: 'vantage',
  type: 'VARCHAR',
  since: 1,
  meaning: 'The vantage point the requests were sent from (also the `vantage=` partition of its path).',
  value: (_, cycle) => cycle.vantage,
});
const schemaVersion = <Row>(): StoreColumn<Row> => ({
  name: 'schema_version',
  type: 'INTEGER',
  since: 1,
  meaning: 'The store schema version the part was written with.',
  value: () => FLEET_SCHEMA_VERSION,
});

export const SAMPLES_TABLE: StoreTable<SampleRow> = {
  name: 'samples',
  meaning: 'One row per measured request (failed ones included), as the local history keeps it.',
  rows: (cycle) => cycle.samples,
  columns: [
    { name: 'run_id', type: 'VARCHAR', since: 1, meaning: 'The run (monitor cycle) that sent it; the part is named by it.', value: (row) => row.runId },
    { name: 'measured_at', type: 'TIMESTAMP', since: 1, meaning: 'When the run measured it (UTC).', value: (row) => row.at },
    { name: 'target', type: 'VARCHAR', since: 1, meaning: 'The target as the run was asked it (a model id, profile id or name).', value: (row) => row.target },
    { name: 'model_id', type: 'VARCHAR', since: 1, meaning: 'The foundation model behind the route.', value: (row) => row.modelId },
    { name: 'route_key', type: 'VARCHAR', since: 1, meaning: 'The run\'s key for the route: its region, or the region and the id invoked for another profile of the model.', value: (row) => row.routeKey },
    { name: 'region', type: 'VARCHAR', since: 1, meaning: 'The region called (a profile\'s source region).', value: (row) => row.region },
    { name: 'invoke_id', type: 'VARCHAR', since: 1, meaning: 'The model id or inference profile id invoked.', value: (row) => row.invokeId },
    { name: 'kind', type: 'VARCHAR', since: 1, meaning: 'The route kind: on-demand, geo-profile or global-profile.', value: (row) => row.kind },
    { name: 'error_class', type: 'VARCHAR', since: 1, meaning: 'Why the request failed (throttled, timeout, network, …); NULL when it answered.', value: (row) => row.errorClass },
    { name: 'ttft_ms', type: 'DOUBLE', since: 1, meaning: 'Time to first token, ms, from the send (a load run\'s open loop: from the intended send).', value: (row) => row.ttftMs },
    { name: 'e2e_ms', type: 'DOUBLE', since: 1, meaning: 'Time to the last byte of the answer, ms.', value: (row) => row.e2eMs },
    { name: 'itl_ms', type: 'DOUBLE', since: 1, meaning: 'Mean time between output tokens after the first, ms.', value: (row) => row.interTokenMs },
    { name: 'output_tokens', type: 'INTEGER', since: 1, meaning: 'Output tokens Bedrock counted.', value: (row) => row.outputTokens },
    { name: 'server_ms', type: 'DOUBLE', since: 1, meaning: 'Bedrock\'s own latency (its metrics event), ms.', value: (row) => row.serverLatencyMs },
    { name: 'gap_ms', type: 'DOUBLE', since: 1, meaning: 'The longest silence between two chunks of the stream, ms.', value: (row) => row.largestGapMs },
    { name: 'reused', type: 'BOOLEAN', since: 1, meaning: 'Whether the request went over an already open connection.', value: (row) => row.reusedSocket },
    { name: 'request_id', type: 'VARCHAR', since: 1, meaning: 'Bedrock\'s request id (x-amzn-requestid); NULL when none arrived.', value: (row) => row.requestId },
    { name: 'sent_at', type: 'TIMESTAMP', since: 1, meaning: 'When the request was handed to the socket (UTC).', value: (row) => row.sentAt },
    { name: 'level_index', type: 'INTEGER', since: 1, meaning: 'A load run\'s level; NULL for a latency run.', value: (row) => row.levelIndex ?? null },
    { name: 'scheduled_at', type: 'TIMESTAMP', since: 1, meaning: 'An open-loop load run\'s intended send time (UTC); NULL otherwise.', value: (row) => row.scheduledAt ?? null },
    vantage(),
    schemaVersion(),
  ],
};

/** The run as a store row: the cycle itself, with its counts. */
export const RUNS_TABLE: StoreTable<FleetCycle> = {
  name: 'runs',
  meaning: 'One row per run (monitor cycle) with its settings. Written after its samples and probes.',
  rows: (cycle) => [cycle],
  columns: [
    { name: 'run_id', type: 'VARCHAR', since: 1, meaning: 'The run; unique across every vantage point.', value: (cycle) => cycle.runId },
    vantage(),
    { name: 'kind', type: 'VARCHAR', since: 1, meaning: 'latency, probe or load.', value: (cycle) => cycle.run.kind },
    { name: 'started_at', type: 'TIMESTAMP', since: 1, meaning: 'When the cycle started (UTC); its `date=` partition is this day.', value: (cycle) => cycle.startedAt },
    { name: 'finished_at', type: 'TIMESTAMP', since: 1, meaning: 'When the cycle finished (UTC).', value: (cycle) => cycle.finishedAt },
    { name: 'target', type: 'VARCHAR', since: 1, meaning: 'The target as asked; NULL for a probe run.', value: (cycle) => cycle.run.target },
    { name: 'status', type: 'VARCHAR', since: 1, meaning: 'completed, partial, failed or cancelled.', value: (cycle) => cycle.run.status },
    { name: 'settings', type: 'VARCHAR', since: 1, meaning: 'The run\'s settings and report as JSON text (what the history keeps as the run\'s report).', value: (cycle) => settingsJson(cycle.run.report) },
    { name: 'sample_count', type: 'INTEGER', since: 1, meaning: 'Rows of this run in samples.', value: (cycle) => cycle.samples.length },
    { name: 'probe_count', type: 'INTEGER', since: 1, meaning: 'Rows of this run in probes.', value: (cycle) => cycle.probes.length },
    schemaVersion(),
  ],
};

export const PROBES_TABLE: StoreTable<ProbeSampleRow> = {
  name: 'probes',
  meaning: 'One row per network probe of a region (DNS, TCP, TLS, first byte), as the local history keeps it.',
  rows: (cycle) => cycle.probes,
  columns: [
    { name: 'run_id', type: 'VARCHAR', since: 1, meaning: 'The run that probed.', value: (row) => row.runId },
    { name: 'measured_at', type: 'TIMESTAMP', since: 1, meaning: 'When it was probed (UTC).', value: (row) => row.at },
    { name: 'region', type: 'VARCHAR', since: 1, meaning: 'The region probed.', value: (row) => row.region },
    { name: 'connection', type: 'VARCHAR', since: 1, meaning: 'cold (a new connection) or warm (reused).', value: (row) => row.connection },
    { name: 'dns_ms', type: 'DOUBLE', since: 1, meaning: 'DNS lookup, ms; NULL on a warm connection.', value: (row) => row.dnsMs },
    { name: 'connect_ms', type: 'DOUBLE', since: 1, meaning: 'TCP connect, ms; NULL on a warm connection.', value: (row) => row.connectMs },
    { name: 'tls_ms', type: 'DOUBLE', since: 1, meaning: 'TLS handshake, ms; NULL on a warm connection.', value: (row) => row.tlsMs },
    { name: 'ttfb_ms', type: 'DOUBLE', since: 1, meaning: 'Time to the first byte of the answer, ms.', value: (row) => row.ttfbMs },
    { name: 'total_ms', type: 'DOUBLE', since: 1, meaning: 'The whole probe, ms.', value: (row) => row.totalMs },
    vantage(),
    schemaVersion(),
  ],
};

/** Every table, in the order a cycle's parts are written: the run last, so a run in the store has its rows there. */
export const STORE_TABLES = [SAMPLES_TABLE, PROBES_TABLE, RUNS_TABLE] as const;

/** The columns a table's parts hold, by name and type (what readers and the DDL follow). */
export function columnsOf(name: StoreTableName): readonly { name: string; type: StoreColumnType; since: number; meaning: string }[] {
  const table = STORE_TABLES.find((candidate) => candidate.name === name);
  return table ? table.columns : [];
}

/** A report that cannot be JSON (a cycle, a BigInt) is kept as what can be said of it, never a failed write. */
function settingsJson(report: unknown): string | null {
  if (report === undefined || report === null) return null;
  try {
    return JSON.stringify(report) ?? null;
  } catch (error) {
    return JSON.stringify({ unserializable: (error as Error).message });
  }
}
