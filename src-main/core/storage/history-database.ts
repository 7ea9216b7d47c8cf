import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { access, constants, mkdir, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded analytical database that keeps raw latency samples, probes and conversations: one DuckDB file in
 * the user data directory. History is never worth losing a run over, so every way it can fail to open ends in a
 * clear warning and a run without history, never an exception:
 * - a corrupt file is moved aside (never deleted) and a fresh one started;
 * - a file locked by another running Bedrock Atlas is left alone and history is off for this run;
 * - an unwritable directory means history is off.
 */

export const HISTORY_FILE_NAME = 'history.duckdb';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'bedrock-atlas');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'bedrock-atlas');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'bedrock-atlas');
}

export type HistoryState =
  | { status: 'open'; path: string }
  | { status: 'memory' }
  | { status: 'off'; reason: 'locked' | 'unwritable' | 'failed'; message: string };

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

export interface HistoryDatabase {
  state: HistoryState;
  /** Warnings to show the user (a file moved aside, history off and why). */
  warnings: string[];
  run(sql: string, params?: SqlParams): Promise<void>;
  all<Row = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<Row[]>;
  /** Creates tables and indexes once per feature; statements must be idempotent (`if not exists`). */
  ensureSchema(statements: readonly string[]): Promise<void>;
  /** The live connection for bulk appends (DuckDB's appender), or null when history is off. */
  connection(): DuckDBConnection | null;
  close(): void;
}

/** A database that keeps nothing: history is off, every query answers empty. */
function disabledDatabase(state: HistoryState, warnings: string[]): HistoryDatabase {
  return {
    state,
    warnings,
    run: async () => {},
    all: async () => [],
    ensureSchema: async () => {},
    connection: () => null,
    close: () => {},
  };
}

function liveDatabase(instance: DuckDBInstance, connection: DuckDBConnection, state: HistoryState, warnings: string[]): HistoryDatabase {
  let closed = false;
  return {
    state,
    warnings,
    run: async (sql, params) => {
      if (!closed) await connection.run(sql, params as never);
    },
    all: async <Row>(sql: string, params?: SqlParams) => {
      if (closed) return [];
      const reader = await connection.runAndReadAll(sql, params as never);
      return reader.getRowObjectsJS() as Row[];
    },
    ensureSchema: async (statements) => {
      for (const statement of statements) await connection.run(statement);
    },
    connection: () => (closed ? null : connection),
    close: () => {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const isLockError = (message: string) => /lock/i.test(message) && /(conflicting|could not set|held)/i.test(message);

async function openFile(path: string) {
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    await connection.run('select 1');
    return { instance, connection };
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}

export async function openHistoryDatabase(options: { dataDir: string | null; now?: () => Date }): Promise<HistoryDatabase> {
  if (options.dataDir === null) {
    const instance = await DuckDBInstance.create(':memory:');
    return liveDatabase(instance, await instance.connect(), { status: 'memory' }, []);
  }
  const dir = options.dataDir;
  const path = join(dir, HISTORY_FILE_NAME);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const message = `History is off: the data directory ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Runs still work; choose another with --data-dir.`;
    return disabledDatabase({ status: 'off', reason: 'unwritable', message }, [message]);
  }
  try {
    const { instance, connection } = await openFile(path);
    return liveDatabase(instance, connection, { status: 'open', path }, []);
  } catch (error) {
    const text = (error as Error).message;
    if (isLockError(text)) {
      const pid = /PID (\d+)/.exec(text)?.[1];
      const message = `History is off for this run: ${path} is in use by another running Bedrock Atlas${pid ? ` (PID ${pid})` : ''}. Close it, or use --data-dir for a separate history.`;
      return disabledDatabase({ status: 'off', reason: 'locked', message }, [message]);
    }
    const exists = await stat(path).then(() => true, () => false);
    if (!exists) {
      const message = `History is off: ${path} could not be created (${text}).`;
      return disabledDatabase({ status: 'off', reason: 'failed', message }, [message]);
    }
    // Anything else on an existing file means it cannot be read as a database: keep it, start afresh.
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const aside = `${path}.corrupt-${stamp}`;
    try {
      await rename(path, aside);
      await rename(`${path}.wal`, `${aside}.wal`).catch(() => {});
      const { instance, connection } = await openFile(path);
      const message = `The history database ${path} could not be read (${text.split('\n')[0]}); it was moved to ${aside} and a new one started. Nothing else was lost.`;
      return liveDatabase(instance, connection, { status: 'open', path }, [message]);
    } catch (retryError) {
      const message = `History is off: ${path} could not be read or replaced (${(retryError as Error).message}).`;
      return disabledDatabase({ status: 'off', reason: 'failed', message }, [message]);
    }
  }
}
