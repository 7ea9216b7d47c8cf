import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportedFile } from '../../../src-shared/contract/latency';
import { csvRow } from '../../../src-shared/text/csv';
import type { HistoryDatabase, SqlParams } from '../storage/history-database';

export type ExportFormat = 'csv' | 'json' | 'parquet';

/**
 * Columns another feature adds to the exported samples, read from its own table in the history database and
 * joined by the sample (`s`): attribution adds where each request was served. Added after the lab's own columns,
 * so a reader that takes them by position keeps working.
 */
export interface ExportColumns {
  /** Creates the table the join reads, so an export before that feature's first write still answers. */
  prepare(): Promise<void>;
  /** A `left join` on `s`: every sample stays, with NULLs where the other table has no row. */
  join: string;
  /** Column name → SQL expression over `s` and the joined table. */
  columns: Readonly<Record<string, string>>;
}

const MIME_TYPES: Record<ExportFormat, string> = { csv: 'text/csv', json: 'application/json', parquet: 'application/vnd.apache.parquet' };

/**
 * Writes the rows `select` returns as a file. CSV is written here, cell by cell through `csvRow` (a model id
 * cannot become a spreadsheet formula); JSON and Parquet by DuckDB's COPY from a temporary table filled with bound
 * values (COPY itself takes no parameters, and its only literal is the path of our own temporary directory).
 */
export async function writeSamplesFile(db: HistoryDatabase, format: ExportFormat, select: string, values: SqlParams, columns: readonly string[]): Promise<ExportedFile> {
  const fileName = `latency-samples.${format}`;
  const mimeType = MIME_TYPES[format];
  if (format === 'csv') {
    const rows = await db.all<Record<string, string | number | boolean | null | bigint>>(select, values);
    const lines = [columns.join(','), ...rows.map((row) => csvRow(columns.map((column) => (typeof row[column] === 'bigint' ? Number(row[column]) : (row[column] as string | number | boolean | null)))))];
    return { fileName, mimeType, base64: Buffer.from(`${lines.join('\n')}\n`, 'utf8').toString('base64') };
  }
  const dir = await mkdtemp(join(tmpdir(), 'atlas-export-'));
  const path = join(dir, fileName);
  const table = `export_${randomUUID().replace(/-/g, '')}`;
  try {
    const copyFormat = { json: 'json, array true', parquet: 'parquet' }[format];
    await db.transaction(async (tx) => {
      await tx.run(`create temporary table ${table} as ${select}`, values);
      await tx.run(`copy ${table} to '${path.replace(/'/g, "''")}' (format ${copyFormat})`);
      await tx.run(`drop table ${table}`);
    });
    return { fileName, mimeType, base64: (await readFile(path)).toString('base64') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
