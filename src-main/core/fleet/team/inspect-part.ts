import type { FleetProblem } from '../../../../src-shared/contract/fleet';
import type { HistoryStatements } from '../../storage/history-database';

/**
 * A part read once, whole, when it is first cached: Parquet whose footer or pages cannot be read is `corrupt` (and
 * skipped by every query until the store holds a new version of it), and a part whose `schema_version` is above
 * the version this Bedrock Atlas knows is `newer-schema`: its columns that this version knows are read, the rest
 * are not, and the status says so.
 */

export type PartCheck =
  | { state: 'ok'; schemaVersion: number | null; rows: number }
  | { state: 'newer-schema'; schemaVersion: number; rows: number; message: string }
  | { state: 'corrupt'; message: string };

const firstLine = (text: string) => text.split('\n')[0] ?? text;

export async function inspectPart(engine: HistoryStatements, file: string, key: string, knownVersion: number): Promise<PartCheck> {
  let rows: number;
  let version: number | null = null;
  try {
    // The footer: every column chunk, with the writer's statistics (schema_version's maximum among them).
    const chunks = await engine.all<{ path_in_schema: string; stats_max_value: string | null }>('select path_in_schema, stats_max_value from parquet_metadata($1)', [file]);
    // Every column of every row group: DuckDB checks a page when it reads it, and only then.
    const [counted] = await engine.all<{ n: bigint }>('select count(*) as n, min(hash(columns(*))) from read_parquet($1)', [file]);
    rows = Number(counted?.n ?? 0);
    for (const chunk of chunks) {
      const written = chunk.path_in_schema === 'schema_version' && chunk.stats_max_value !== null ? Number(chunk.stats_max_value) : NaN;
      if (Number.isInteger(written)) version = Math.max(version ?? written, written);
    }
  } catch (error) {
    return { state: 'corrupt', message: `${key} is not readable Parquet (${firstLine((error as Error).message)}); it is skipped until the store holds a new version of it.` };
  }
  if (version !== null && version > knownVersion) {
    return {
      state: 'newer-schema',
      schemaVersion: version,
      rows,
      message: `${key} was written by a newer Bedrock Atlas (store schema ${version}; this version knows ${knownVersion}): the columns this version knows are read, the others are not. Update Bedrock Atlas to read it all.`,
    };
  }
  return { state: 'ok', schemaVersion: version, rows };
}

/** The problem a check names, if any. */
export function problemOf(key: string, check: PartCheck): FleetProblem | null {
  if (check.state === 'ok') return null;
  return { kind: check.state, part: key, message: check.message };
}
