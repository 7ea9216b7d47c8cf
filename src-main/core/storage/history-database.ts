import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
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
 *
 * DuckDB lets one process at a time hold a file. The app therefore holds it only while it works: the file is
 * opened for a burst of statements and released once nothing has been asked of it for `idleReleaseMs`, so the CLI
 * can read the history while the dashboard runs. A process that finds the file held waits a little (the holder
 * releases it within moments of its last statement) before it says who holds it.
 */

export const HISTORY_FILE_NAME = 'history.duckdb';

/**
 * DuckDB's module, loaded on the first open: loading it maps a large native library, which a command that keeps no
 * history (`where`, `catalog`, `--help`) should not pay for.
 */
async function duckdb(): Promise<typeof import('@duckdb/node-api')> {
  const loaded = await import('@duckdb/node-api');
  // DuckDB's package is CommonJS: Node names its exports, a bundle may hand them over as the default export.
  return 'DuckDBInstance' in loaded ? loaded : (loaded as { default: typeof loaded }).default;
}

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'bedrock-atlas');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'bedrock-atlas');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'bedrock-atlas');
}

export type HistoryState =
  | { status: 'open'; path: string }
  | { status: 'memory' }
  | { status: 'off'; reason: 'locked' | 'unwritable' | 'failed'; message: string };

function isLockError(message: string): boolean {
  return /lock/i.test(message) && /(conflicting|could not set|held)/i.test(message);
}

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
  /** Whether this process holds the file right now (it lets go when idle, so another process can open it). */
  holdsFile(): boolean;
  /** Closes the file once the statements already asked for are done; later statements find it closed. */
  close(): Promise<void>;
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
    holdsFile: () => false,
    close: async () => {},
  };
}

/**
 * DuckDB's words for a database file it cannot trust any more, as opposed to a bad statement, a constraint, or an
 * I/O error on another file (an export's temporary file must not send the history aside).
 */
export function isStorageFailure(message: string, path: string): boolean {
  // A file another process holds is sound: wait for it, never move it aside.
  if (isLockError(message)) return false;
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
  /** Releases the file after this long without a statement (never for an in-memory database). */
  idleReleaseMs: number;
  /** How long to wait for a file held by another process before failing the statement that needs it. */
  lockWaitMs: number;
}

/** How long a burst of statements keeps the file: long enough to batch a run's writes and a page's reads. */
export const IDLE_RELEASE_MS = 250;
/** How long to wait for another process to release the file; its holder releases it moments after its last statement. */
export const LOCK_WAIT_MS = 5_000;

function liveDatabase(opened: Live, state: HistoryState, warnings: string[], options: LiveOptions): HistoryDatabase {
  let live: Live | null = opened;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  const schemas: string[] = [];
  let recovered = false;
  let pending = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const release = () => {
    if (!live || options.path === null || pending > 0) return;
    live.connection.closeSync();
    live.instance.closeSync();
    live = null;
  };

  /** The file open for the next statement: reopened after an idle release, waiting for another process to let go. */
  const reopen = async () => {
    if (live || options.path === null || closed || state.status === 'off') return;
    live = await openHeldFile(options.path, options.lockWaitMs, false);
  };

  /** One statement at a time on the shared connection, in the order asked; the file is released when idle. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    pending++;
    clearTimeout(idleTimer);
    const result = queue.then(async () => {
      await reopen();
      return work();
    });
    const settled = result.catch(() => {});
    queue = settled.finally(() => {
      pending--;
      if (pending === 0 && options.path !== null) {
        idleTimer = setTimeout(release, options.idleReleaseMs);
        idleTimer.unref?.();
      }
    });
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
    holdsFile: () => live !== null && options.path !== null,
    close: () => {
      if (closed) return queue.then(() => undefined);
      closed = true;
      clearTimeout(idleTimer);
      const closeNow = () => {
        live?.connection.closeSync();
        live?.instance.closeSync();
        live = null;
      };
      // Closing DuckDB under a running statement crashes the process (a segfault, not an error): with statements
      // still queued, the file is closed after the last of them; statements asked for later find it closed.
      if (pending === 0) {
        closeNow();
        return Promise.resolve();
      }
      queue = queue.finally(closeNow);
      return queue.then(() => undefined);
    },
  };
}

const firstLine = (text: string) => text.split('\n')[0];

/** Every column of every table, read once: DuckDB checks a block's checksum when it reads it, and only then. */
async function verifyEveryTable(connection: DuckDBConnection): Promise<void> {
  const tables = (await connection.runAndReadAll("select table_name from duckdb_tables() where database_name = current_database() and not temporary")).getRowObjectsJS() as { table_name: string }[];
  for (const { table_name: table } of tables) {
    const name = `"${table.replace(/"/g, '""')}"`;
    await connection.run(`select count(*), min(hash(columns(*))) from ${name}`);
  }
}

/** Opens the file, waiting up to `waitMs` while another process holds it (it lets go when idle). */
async function openHeldFile(path: string, waitMs: number, verify: boolean): Promise<Live> {
  const deadline = Date.now() + waitMs;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    try {
      return await openFile(path, verify);
    } catch (error) {
      if (!isLockError((error as Error).message) || Date.now() + pause > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

async function openFile(path: string, verify = true): Promise<Live> {
  const instance = await (await duckdb()).DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    await connection.run('select 1');
    // Once per process: a file this process released cleanly was checked when it was first opened.
    if (verify) await verifyEveryTable(connection);
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

export async function openHistoryDatabase(options: {
  dataDir: string | null;
  now?: () => Date;
  log?: (line: string) => void;
  idleReleaseMs?: number;
  lockWaitMs?: number;
}): Promise<HistoryDatabase> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const timing = { idleReleaseMs: options.idleReleaseMs ?? IDLE_RELEASE_MS, lockWaitMs: options.lockWaitMs ?? LOCK_WAIT_MS };
  if (options.dataDir === null) {
    const instance = await (await duckdb()).DuckDBInstance.create(':memory:');
    return liveDatabase({ instance, connection: await instance.connect() }, { status: 'memory' }, [], { path: null, now, log, ...timing });
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
    const opened = await openHeldFile(path, timing.lockWaitMs, true);
    return liveDatabase(opened, { status: 'open', path }, [], { path, now, log, ...timing });
  } catch (error) {
    const text = (error as Error).message;
    if (isLockError(text)) {
      const pid = /PID (\d+)/.exec(text)?.[1];
      const message = `History is off for this run: ${path} stayed in use by another process${pid ? ` (PID ${pid})` : ''} for ${timing.lockWaitMs / 1000} s. A running Bedrock Atlas lets go of it between writes; an older one, or another program, may hold it. Close it, or use --data-dir for a separate history.`;
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
      return liveDatabase(opened, { status: 'open', path }, [message], { path, now, log, ...timing });
    } catch (retryError) {
      const message = `History is off: ${path} could not be read or replaced (${(retryError as Error).message}).`;
      return disabledDatabase({ status: 'off', reason: 'failed', message }, [message]);
    }
  }
}
