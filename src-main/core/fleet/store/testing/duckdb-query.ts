import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

/** A query as a user runs it over the store: a fresh in-memory DuckDB, its own SQL, the rows as plain JS values. */
export async function duckdbQuery<Row = Record<string, unknown>>(sql: string, params: DuckDBValue[] = [], options: { timeZone?: string } = {}): Promise<Row[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // A user's session may be in any zone: a query over the store's UTC times must answer the same in every one.
    if (options.timeZone) {
      if (!/^[A-Za-z_/+-]+$/.test(options.timeZone)) throw new Error(`not a time zone name: ${options.timeZone}`);
      await connection.run(`set TimeZone = '${options.timeZone}'`);
    }
    const reader = await connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as Row[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
