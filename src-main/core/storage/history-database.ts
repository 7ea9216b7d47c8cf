import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { access, chmod, constants, mkdir, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded analytical database that keeps raw latency samples, probes and conversations: one DuckDB file in
 * the user data directory. History is never worth losing a run over, so every way it can fail to open ends in a
 * clear warning and a run without history, never an exception:
 * - a corrupt file is moved aside (never deleted) and a fresh one started;
 * - a file locked by another running Bedrock Atlas is left alone and history is off for this run;
 * - an unwritable directory means history is off.
 * Integrity is checked at open by reading every column of every table (DuckDB verifies a block's checksum only
 * when it reads it), and an I/O or checksum error later, while writing, is handled the same way: the file is moved
 * aside, a new one started, and the user told once. Every statement goes through one queue, so a transaction
 * (a run and its samples) never interleaves with another feature's statements on the shared connection.
 * The file holds prompts and answers: it is 0600 in a 0700 directory.
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

/** What a transaction's work may do: the same statements, inside the transaction. */
export interface HistoryStatements {
  run(sql: string, params?: SqlParams): Promise<void>;
  all<Row = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<Row[]>;
}

export interface HistoryDatabase extends HistoryStatements {
  state: HistoryState;
  /** Warnings to show the user (a file moved aside, history off and why). */
  warnings: string[];
  /** Creates tables and indexes once per feature; statements must be idempotent (`if not exists`). */
  ensureSchema(statements: readonly string[]): Promise<void>;
  /**
   * Runs `work` in one transaction: it resolves only once the commit succeeded, and on any error everything it
   * wrote is rolled back and the error passed on.
   */
  transaction<T>(work: (statements: HistoryStatements) => Promise<T>): Promise<T>;
  close(): void;
}

/** A database that keeps nothing: history is off, every query answers empty. */
function disabledDatabase(state: HistoryState, warnings: string[]): HistoryDatabase {
  const statements: HistoryStatements = { run: async () => {}, all: async () => [] };
  return {
    state,
    warnings,
    ...statements,
    ensureSchema: async () => {},
    transaction: (work) => work(statements),
    close: () => {},
  };
}

/**
 * DuckDB's words for a database file it cannot trust any more, as opposed to a bad statement, a constraint, or an
 * I/O error on another file (an export's temporary file must not send the history aside).
 */
export function isStorageFailure(message: string, path: string): boolean {
  if (/Corrupt database|checksum|database has been invalidated|^FATAL Error|^INTERNAL Error/i.test(message)) return true;
  return /^IO Error|Could not (read|write)|Cannot open file|Failed to commit/i.test(message) && message.includes(path);
}

interface Live {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

interface LiveOptions {
  /** The file, or null for an in-memory database. */
  path: string | null;
  now: () => Date;
  log: (line: string) => void;
}

function liveDatabase(opened: Live, state: HistoryState, warnings: string[], options: LiveOptions): HistoryDatabase {
  let live: Live | null = opened;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  const schemas: string[] = [];
  let recovered = false;

  /** One statement at a time on the shared connection, in the order asked. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => {});
    return result;
  };

  const direct: HistoryStatements = {
    run: async (sql, params) => {
      if (live) await live.connection.run(sql, params as never);
    },
    all: async <Row>(sql: string, params?: SqlParams) => {
      if (!live) return [];
      const reader = await live.connection.runAndReadAll(sql, params as never);
      return reader.getRowObjectsJS() as Row[];
    },
  };

  /** The file failed under us: keep it aside, carry on in a new one (with the schemas asked for so far), say so once. */
  const recover = async (error: Error) => {
    if (!live || options.path === null || closed) return;
    const path = options.path;
    try {
      live.connection.closeSync();
      live.instance.closeSync();
    } catch {
      // Already invalidated by DuckDB: nothing more to close.
    }
    live = null;
    try {
      const aside = await moveAside(path, options.now());
      live = await openFile(path);
      for (const statement of schemas) await live.connection.run(statement);
      if (!recovered) {
        recovered = true;
        const message = `The history database ${path} failed while writing (${firstLine(error.message)}); it was moved to ${aside} and a new one started. The write in progress was not kept.`;
        warnings.push(message);
        options.log(message);
      }
    } catch (retryError) {
      const message = `History is off: ${path} failed while writing and could not be replaced (${firstLine((retryError as Error).message)}).`;
      live = null;
      Object.assign(state as object, { status: 'off', reason: 'failed', message });
      warnings.push(message);
      options.log(message);
    }
  };

  const guarded = <T>(work: () => Promise<T>): Promise<T> =>
    exclusive(async () => {
      try {
        return await work();
      } catch (error) {
        if (options.path !== null && isStorageFailure((error as Error).message, options.path)) await recover(error as Error);
        throw error;
      }
    });

  return {
    state,
    warnings,
    run: (sql, params) => guarded(() => direct.run(sql, params)),
    all: (sql, params) => guarded(() => direct.all(sql, params)),
    ensureSchema: (statements) =>
      guarded(async () => {
        for (const statement of statements) {
          await direct.run(statement);
          if (!schemas.includes(statement)) schemas.push(statement);
        }
      }),
    transaction: (work) =>
      guarded(async () => {
        if (!live) throw new Error('History is off');
        await direct.run('begin transaction');
        try {
          const result = await work(direct);
          await direct.run('commit');
          return result;
        } catch (error) {
          await direct.run('rollback').catch(() => {});
          throw error;
        }
      }),
    close: () => {
      if (closed) return;
      closed = true;
      live?.connection.closeSync();
      live?.instance.closeSync();
      live = null;
    },
  };
}

const firstLine = (text: string) => text.split('\n')[0];
const isLockError = (message: string) => /lock/i.test(message) && /(conflicting|could not set|held)/i.test(message);

/** Every column of every table, read once: DuckDB checks a block's checksum when it reads it, and only then. */
async function verifyEveryTable(connection: DuckDBConnection): Promise<void> {
  const tables = (await connection.runAndReadAll("select table_name from duckdb_tables() where database_name = current_database() and not temporary")).getRowObjectsJS() as { table_name: string }[];
  for (const { table_name: table } of tables) {
    const name = `"${table.replace(/"/g, '""')}"`;
    await connection.run(`select count(*), min(hash(columns(*))) from ${name}`);
  }
}

async function openFile(path: string): Promise<Live> {
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    await connection.run('select 1');
    await verifyEveryTable(connection);
    await chmod(path, 0o600);
    return { instance, connection };
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}

/** Renames the file (and its write-ahead log) to `<file>.corrupt-<time>`; never deletes anything. */
async function moveAside(path: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let aside = `${path}.corrupt-${stamp}`;
  for (let n = 2; await stat(aside).then(() => true, () => false); n++) aside = `${path}.corrupt-${stamp}-${n}`;
  await rename(path, aside);
  await rename(`${path}.wal`, `${aside}.wal`).catch(() => {});
  return aside;
}

export async function openHistoryDatabase(options: { dataDir: string | null; now?: () => Date; log?: (line: string) => void }): Promise<HistoryDatabase> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  if (options.dataDir === null) {
    const instance = await DuckDBInstance.create(':memory:');
    return liveDatabase({ instance, connection: await instance.connect() }, { status: 'memory' }, [], { path: null, now, log });
  }
  const dir = options.dataDir;
  const path = join(dir, HISTORY_FILE_NAME);
  try {
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    // The directory this created is 0700 (mode is masked by the umask on the way in, so set it outright).
    if (created !== undefined) await chmod(dir, 0o700);
    await access(dir, constants.W_OK);
  } catch (error) {
    const message = `History is off: the data directory ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Runs still work; choose another with --data-dir.`;
    return disabledDatabase({ status: 'off', reason: 'unwritable', message }, [message]);
  }
  try {
    const opened = await openFile(path);
    return liveDatabase(opened, { status: 'open', path }, [], { path, now, log });
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
    try {
      const aside = await moveAside(path, now());
      const opened = await openFile(path);
      const message = `The history database ${path} could not be read (${firstLine(text)}); it was moved to ${aside} and a new one started. Nothing else was lost.`;
      return liveDatabase(opened, { status: 'open', path }, [message], { path, now, log });
    } catch (retryError) {
      const message = `History is off: ${path} could not be read or replaced (${(retryError as Error).message}).`;
      return disabledDatabase({ status: 'off', reason: 'failed', message }, [message]);
    }
  }
}
