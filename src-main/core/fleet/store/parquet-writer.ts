import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTemporaries, temporaryPathFor } from '../../storage/atomic-write';
import type { FleetCycle } from '../cycle';
import { partitionDate, partKey, runIdProblem, vantageNameProblem } from './layout';
import { STORE_TABLES, type CellValue, type StoreColumn, type StoreColumnType, type StoreTable, type StoreTableName } from './schema';

/**
 * Turns a cycle into its Parquet parts with DuckDB's own Parquet writer: each table's rows go into an in-memory
 * table through DuckDB's appender (every value bound as a typed value, never text spliced into SQL), and
 * `COPY … TO $1 (FORMAT parquet)` writes it to a scratch file, whose bytes become the part. The parts are returned as
 * bytes so the same ones are spooled, written to a directory or uploaded to S3. One in-memory database serves every
 * cycle of an encoder; cycles are encoded one at a time.
 */

export interface EncodedPart {
  table: StoreTableName;
  /** The part's path in the store: `<table>/vantage=<v>/date=<d>/<run id>.parquet`. */
  key: string;
  rows: number;
  bytes: Buffer;
}

export class InvalidCycle extends Error {
  override readonly name = 'InvalidCycle';
}

type DuckDbModule = typeof import('@duckdb/node-api');

async function duckdb(): Promise<DuckDbModule> {
  const loaded = await import('@duckdb/node-api');
  // DuckDB's package is CommonJS: Node names its exports, a bundle may hand them over as the default export.
  return 'DuckDBInstance' in loaded ? loaded : (loaded as { default: typeof loaded }).default;
}

function finite(value: CellValue): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const INT32_MAX = 2_147_483_647;

/** Appends one value as its column's type; a value that is not of that type (NaN, text for a number) is NULL. */
function appendCell(module: DuckDbModule, appender: DuckDBAppender, type: StoreColumnType, value: CellValue): void {
  switch (type) {
    case 'VARCHAR':
      return typeof value === 'string' ? appender.appendVarchar(value) : appender.appendNull();
    case 'BOOLEAN':
      return typeof value === 'boolean' ? appender.appendBoolean(value) : appender.appendNull();
    case 'DOUBLE': {
      const number = finite(value);
      return number === null ? appender.appendNull() : appender.appendDouble(number);
    }
    case 'INTEGER': {
      const number = finite(value);
      return number === null || Math.abs(number) > INT32_MAX ? appender.appendNull() : appender.appendInteger(Math.round(number));
    }
    case 'TIMESTAMP': {
      const epochMs = finite(value);
      return epochMs === null ? appender.appendNull() : appender.appendTimestamp(new module.DuckDBTimestampValue(BigInt(Math.round(epochMs * 1000))));
    }
  }
}

function tableDdl<Row>(table: StoreTable<Row>, name: string): string {
  // Names and types come from the schema's constants, never from data.
  return `create or replace table ${name} (${table.columns.map((column) => `${column.name} ${column.type}`).join(', ')})`;
}

/** Why a cycle cannot be stored under its names, or null. */
export function cycleProblem(cycle: FleetCycle): string | null {
  return vantageNameProblem(cycle.vantage) ?? runIdProblem(cycle.runId) ?? (Number.isFinite(cycle.startedAt) ? null : 'the cycle has no start time');
}

export class ParquetEncoder {
  private live: Promise<{ module: DuckDbModule; instance: DuckDBInstance; connection: DuckDBConnection }> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** `scratchDir`: where DuckDB writes a part before it is read back (the data directory: a container's root is read-only). */
  constructor(private readonly scratchDir: string) {}

  private open() {
    this.live ??= (async () => {
      const module = await duckdb();
      await mkdir(this.scratchDir, { recursive: true });
      // Scratch files a killed process left behind.
      for (const table of STORE_TABLES) await removeStaleTemporaries(join(this.scratchDir, `${table.name}.parquet`));
      // Should a cycle ever be larger than memory, DuckDB spills to the data directory, not to a read-only root.
      // One thread: a cycle's part is small, and a monitor beside a team's workloads should not take every core.
      const instance = await module.DuckDBInstance.create(':memory:', { temp_directory: this.scratchDir, threads: '1' });
      return { module, instance, connection: await instance.connect() };
    })();
    // A database that failed to start is started again for the next cycle.
    this.live.catch(() => (this.live = null));
    return this.live;
  }

  /**
   * The cycle's parts, samples and probes first and the run last (a table without rows has no part; the run always
   * has one). Throws InvalidCycle when its vantage name or run id cannot name a part.
   */
  encode(cycle: FleetCycle): Promise<EncodedPart[]> {
    const work = this.queue.then(() => this.encodeNow(cycle));
    this.queue = work.catch(() => {});
    return work;
  }

  private async encodeNow(cycle: FleetCycle): Promise<EncodedPart[]> {
    const problem = cycleProblem(cycle);
    if (problem) throw new InvalidCycle(problem);
    const { module, connection } = await this.open();
    const date = partitionDate(cycle.startedAt);
    const parts: EncodedPart[] = [];
    for (const table of STORE_TABLES) {
      const bytes = await this.encodeTable(module, connection, table as StoreTable<unknown>, cycle);
      if (bytes) parts.push({ table: table.name, key: partKey(table.name, cycle.vantage, date, cycle.runId), rows: table.rows(cycle).length, bytes });
    }
    return parts;
  }

  private async encodeTable(module: DuckDbModule, connection: DuckDBConnection, table: StoreTable<unknown>, cycle: FleetCycle): Promise<Buffer | null> {
    const rows = table.rows(cycle);
    if (rows.length === 0) return null;
    const name = `part_${table.name}`;
    await connection.run(tableDdl(table, name));
    const appender = await connection.createAppender(name);
    try {
      for (const row of rows) {
        for (const column of table.columns as readonly StoreColumn<unknown>[]) appendCell(module, appender, column.type, column.value(row, cycle));
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await mkdir(this.scratchDir, { recursive: true });
    const scratch = temporaryPathFor(join(this.scratchDir, `${table.name}.parquet`));
    try {
      await connection.run('copy (select * from ' + name + ') to $1 (format parquet)', [scratch]);
      return await readFile(scratch);
    } finally {
      await rm(scratch, { force: true });
      await connection.run(`drop table if exists ${name}`);
    }
  }

  /** Closes the database once the cycles already asked for are encoded. */
  async close(): Promise<void> {
    await this.queue;
    const live = this.live;
    this.live = null;
    if (!live) return;
    try {
      const { instance, connection } = await live;
      connection.closeSync();
      instance.closeSync();
    } catch {
      // A database that never opened has nothing to close.
    }
  }
}
