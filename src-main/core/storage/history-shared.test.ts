import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../testing/emulated-core';
import { HISTORY_FILE_NAME, openHistoryDatabase, type HistoryDatabase } from './history-database';

/**
 * The dashboard and the CLI share one history file. DuckDB lets one process hold it at a time, so the app lets go
 * of it when idle; a reader in another process then opens it, and a writer that finds it held waits its turn.
 */

const databases: HistoryDatabase[] = [];
afterEach(() => {
  for (const database of databases.splice(0)) database.close();
});

/** Another process that opens the file, reads the table, prints what it read and lets go. */
function readInAnotherProcess(path: string): Promise<{ code: number | null; output: string }> {
  const script = `const {DuckDBInstance}=require('@duckdb/node-api');(async()=>{const i=await DuckDBInstance.create(${JSON.stringify(path)});const c=await i.connect();const r=await c.runAndReadAll('select count(*)::integer as n from shared');console.log(JSON.stringify(r.getRowObjectsJS()));c.closeSync();i.closeSync();})().catch(e=>{console.log('ERROR '+e.message);process.exit(1)})`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('one history file, two processes', () => {
  it('lets go of the file when idle, so another process reads what this one wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-shared-'));
    const db = await openHistoryDatabase({ dataDir: dir, idleReleaseMs: 20 });
    databases.push(db);
    await db.ensureSchema(['create table if not exists shared (v integer)']);
    await db.run('insert into shared values (1), (2)');
    await waitFor(() => !db.holdsFile());
    const read = await readInAnotherProcess(join(dir, HISTORY_FILE_NAME));
    expect(read).toMatchObject({ code: 0, output: expect.stringContaining('[{"n":2}]') });
    // And this process takes the file back for its next statement.
    await db.run('insert into shared values (3)');
    expect(await db.all('select count(*)::integer as n from shared')).toEqual([{ n: 3 }]);
  });

  it('a statement waits while another process holds the file, then runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-shared-'));
    const path = join(dir, HISTORY_FILE_NAME);
    const db = await openHistoryDatabase({ dataDir: dir, idleReleaseMs: 20 });
    databases.push(db);
    await db.ensureSchema(['create table if not exists shared (v integer)']);
    await waitFor(() => !db.holdsFile());
    // The other process holds the file until we tell it to go.
    const holder = spawn(
      process.execPath,
      ['-e', `const {DuckDBInstance}=require('@duckdb/node-api');DuckDBInstance.create(${JSON.stringify(path)}).then(i=>(globalThis.held=i).connect()).then(async c=>{await c.run('insert into shared values (10)');await c.run('checkpoint');console.log('held');process.stdin.once('data',()=>{c.closeSync();process.exit(0)})})`],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const order: string[] = [];
    const write = db.run('insert into shared values (20)').then(() => order.push('written'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    order.push('holder released');
    holder.stdin!.write('go\n');
    await write;
    expect(order).toEqual(['holder released', 'written']);
    expect(await db.all('select v from shared order by v')).toEqual([{ v: 10 }, { v: 20 }]);
  });
});
