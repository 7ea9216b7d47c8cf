import { defaultDataDir, openHistoryDatabase, type HistoryDatabase } from './history-database';
import { defineFeature } from '../app/feature';

/**
 * The one DuckDB history file per process, shared by every feature that keeps history (the latency lab's samples,
 * the playground's conversations). DuckDB must not open one file twice in a process, so features never open it
 * themselves: they ask this feature. It opens on first use (a run that keeps nothing never touches the disk),
 * and a new data directory means a new database.
 */
export interface HistoryAccess {
  /** The database, opened on first call; warnings (a file moved aside, at open or later, history off) go to the log once. */
  database(): Promise<HistoryDatabase>;
}

export const historyFeature = defineFeature({
  name: 'history',
  rebuildOn: ['dataDir'],
  create: ({ settings, log }) => {
    const dataDir = settings().dataDir ?? defaultDataDir();
    let opening: Promise<HistoryDatabase> | null = null;
    const access: HistoryAccess = {
      database: () =>
        (opening ??= openHistoryDatabase({ dataDir, log }).then((database) => {
          for (const warning of database.warnings) log(warning);
          return database;
        })),
    };
    return {
      exports: access,
      dispose: () => opening?.then((database) => database.close(), () => undefined),
    };
  },
});
