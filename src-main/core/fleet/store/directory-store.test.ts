import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { parseStoreLocation } from './layout';
import { createStoreSink, spoolDirectoryFor } from './store-sink';
import { fleetCycle } from './testing/cycles';
import { duckdbQuery } from './testing/duckdb-query';

/** Every file under a directory, `/`-separated and sorted. */
function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

function freshStore() {
  const root = mkdtempSync(join(tmpdir(), 'fleet-store-'));
  return { store: join(root, 'store'), spoolDir: join(root, 'data', 'fleet-spool'), root };
}

const START = Date.parse('2026-12-05T23:58:30.250Z');

describe('the store in a directory', () => {
  it('writes a cycle that DuckDB reads back with hive_partitioning: every column, type, value and partition', async () => {
    const { store, spoolDir } = freshStore();
    const sink = createStoreSink({ location: store, region: 'us-east-1', spoolDir });
    const cycle = fleetCycle({
      runId: 'run-0001',
      vantage: 'berlin',
      startedAt: START,
      samples: [{ ttftMs: 201.5 }, { region: 'eu-west-1', errorClass: 'throttled', atOffsetMs: 120_000 }],
      probes: 2,
      settings: { settings: { runs: 2, prompt: 'it’s "quoted"' } },
    });
    cycle.samples[0]!.levelIndex = 3;
    cycle.samples[0]!.scheduledAt = START + 7;
    await sink.write(cycle);
    expect(sink.status()).toEqual({ name: `store ${store}`, written: 1, pending: 0, dropped: 0, lastError: null });

    const glob = join(store, 'samples', '**', '*.parquet');
    const types = await duckdbQuery<{ column_name: string; column_type: string }>('describe select * from read_parquet($1, hive_partitioning = true)', [glob]);
    expect(Object.fromEntries(types.map((row) => [row.column_name, row.column_type]))).toEqual({
      run_id: 'VARCHAR', measured_at: 'TIMESTAMP', target: 'VARCHAR', model_id: 'VARCHAR', route_key: 'VARCHAR', region: 'VARCHAR', invoke_id: 'VARCHAR',
      kind: 'VARCHAR', error_class: 'VARCHAR', ttft_ms: 'DOUBLE', e2e_ms: 'DOUBLE', itl_ms: 'DOUBLE', output_tokens: 'INTEGER', server_ms: 'DOUBLE',
      gap_ms: 'DOUBLE', reused: 'BOOLEAN', request_id: 'VARCHAR', sent_at: 'TIMESTAMP', level_index: 'INTEGER', scheduled_at: 'TIMESTAMP',
      vantage: 'VARCHAR', schema_version: 'INTEGER', date: 'DATE',
    });
    const samples = await duckdbQuery<Record<string, unknown>>(
      `select run_id, strftime(measured_at, '%Y-%m-%dT%H:%M:%S.%g') as measured_at, region, error_class, ttft_ms, e2e_ms, itl_ms, output_tokens,
              server_ms, gap_ms, reused, request_id, epoch_ms(sent_at)::double as sent_at, level_index, epoch_ms(scheduled_at)::double as scheduled_at, vantage,
              schema_version, strftime("date", '%Y-%m-%d') as day
       from read_parquet($1, hive_partitioning = true) order by measured_at`,
      [glob],
    );
    expect(samples).toEqual([
      {
        run_id: 'run-0001', measured_at: '2026-12-05T23:58:30.250', region: 'us-east-1', error_class: null, ttft_ms: 201.5, e2e_ms: 601.75, itl_ms: 12.5,
        output_tokens: 64, server_ms: 150.5, gap_ms: 30, reused: false, request_id: 'req-run-0001-0', sent_at: START - 3, level_index: 3,
        scheduled_at: START + 7, vantage: 'berlin', schema_version: 1, day: '2026-12-05',
      },
      {
        // Measured after midnight UTC, in the cycle that started before it: the part stays in the cycle's day.
        run_id: 'run-0001', measured_at: '2026-12-06T00:00:30.250', region: 'eu-west-1', error_class: 'throttled', ttft_ms: null, e2e_ms: null,
        itl_ms: null, output_tokens: null, server_ms: null, gap_ms: null, reused: true, request_id: null, sent_at: START + 120_000 - 3,
        level_index: null, scheduled_at: null, vantage: 'berlin', schema_version: 1, day: '2026-12-05',
      },
    ]);

    const [run] = await duckdbQuery<Record<string, unknown>>(
      `select run_id, vantage, kind, epoch_ms(started_at)::double as started_at, epoch_ms(finished_at)::double as finished_at, target, status, settings,
              sample_count, probe_count, schema_version, strftime("date", '%Y-%m-%d') as day
       from read_parquet($1, hive_partitioning = true)`,
      [join(store, 'runs', '**', '*.parquet')],
    );
    expect(run).toEqual({
      run_id: 'run-0001', vantage: 'berlin', kind: 'latency', started_at: START, finished_at: START + 60_000, target: 'amazon.nova-lite-v1:0',
      status: 'completed', settings: JSON.stringify({ settings: { runs: 2, prompt: 'it’s "quoted"' } }), sample_count: 2, probe_count: 2,
      schema_version: 1, day: '2026-12-05',
    });
    const probes = await duckdbQuery<Record<string, unknown>>(
      'select region, connection, dns_ms, ttfb_ms, vantage from read_parquet($1, hive_partitioning = true) order by measured_at',
      [join(store, 'probes', '**', '*.parquet')],
    );
    expect(probes).toEqual([
      { region: 'us-east-1', connection: 'cold', dns_ms: 4.5, ttfb_ms: 90, vantage: 'berlin' },
      { region: 'eu-west-1', connection: 'warm', dns_ms: null, ttfb_ms: 91, vantage: 'berlin' },
    ]);
    await sink.close();
  });

  it('lays the parts out exactly as docs/fleet.md says, and leaves nothing in the spool once they are written', async () => {
    const { store, spoolDir } = freshStore();
    const sink = createStoreSink({ location: store, region: 'us-east-1', spoolDir });
    await sink.write(fleetCycle({ runId: 'a1', vantage: 'berlin', startedAt: START, probes: 1 }));
    await sink.write(fleetCycle({ runId: 'b2', vantage: 'ecs-us-west-2', startedAt: START + 86_400_000, samples: [] }));
    await sink.close();
    expect(filesUnder(store)).toEqual([
      'probes/vantage=berlin/date=2026-12-05/a1.parquet',
      'runs/vantage=berlin/date=2026-12-05/a1.parquet',
      'runs/vantage=ecs-us-west-2/date=2026-12-06/b2.parquet',
      'samples/vantage=berlin/date=2026-12-05/a1.parquet',
    ]);
    const doc = readFileSync(new URL('../../../../docs/fleet.md', import.meta.url), 'utf8');
    expect(doc).toContain('<store>/samples/vantage=<name>/date=YYYY-MM-DD/<run id>.parquet');
    expect(doc).toContain('<store>/runs/vantage=<name>/date=YYYY-MM-DD/<run id>.parquet');
    expect(doc).toContain('<store>/probes/vantage=<name>/date=YYYY-MM-DD/<run id>.parquet');
    expect(filesUnder(spoolDir).filter((name) => !name.startsWith('scratch/'))).toEqual([]);
  });

  it('keeps two monitors with one vantage name apart (distinct run ids), and lets a cycle sent again replace its own part', async () => {
    const { store, spoolDir } = freshStore();
    const first = createStoreSink({ location: store, region: 'us-east-1', spoolDir: join(spoolDir, 'one') });
    const second = createStoreSink({ location: store, region: 'us-east-1', spoolDir: join(spoolDir, 'two') });
    await first.write(fleetCycle({ runId: 'monitor-a-1', vantage: 'office', startedAt: START, samples: [{ ttftMs: 100 }] }));
    await second.write(fleetCycle({ runId: 'monitor-b-1', vantage: 'office', startedAt: START, samples: [{ ttftMs: 300 }] }));
    const glob = join(store, 'samples', '**', '*.parquet');
    const read = () => duckdbQuery<{ run_id: string; ttft_ms: number }>('select run_id, ttft_ms from read_parquet($1) order by run_id', [glob]);
    expect(await read()).toEqual([{ run_id: 'monitor-a-1', ttft_ms: 100 }, { run_id: 'monitor-b-1', ttft_ms: 300 }]);

    await first.write(fleetCycle({ runId: 'monitor-a-1', vantage: 'office', startedAt: START, samples: [{ ttftMs: 111 }] }));
    expect(await read()).toEqual([{ run_id: 'monitor-a-1', ttft_ms: 111 }, { run_id: 'monitor-b-1', ttft_ms: 300 }]);
    expect(filesUnder(join(store, 'samples'))).toEqual(['vantage=office/date=2026-12-05/monitor-a-1.parquet', 'vantage=office/date=2026-12-05/monitor-b-1.parquet']);
    await Promise.all([first.close(), second.close()]);
  });

  it('answers the queries of docs/fleet.md, copied from the page, in a session of any time zone', async () => {
    const { store, spoolDir } = freshStore();
    const sink = createStoreSink({ location: store, region: 'us-east-1', spoolDir });
    const now = Date.now();
    const ttfts = (values: number[], region: string) => values.map((ttftMs) => ({ ttftMs, region }));
    await sink.write(fleetCycle({ runId: 'r-berlin-1', vantage: 'berlin', startedAt: now - 3_600_000, samples: [...ttfts([100, 200], 'eu-central-1'), ...ttfts([300], 'us-east-1')] }));
    await sink.write(fleetCycle({ runId: 'r-berlin-2', vantage: 'berlin', startedAt: now - 2 * 86_400_000, samples: ttfts([300, 400, 500], 'eu-central-1') }));
    await sink.write(fleetCycle({ runId: 'r-oregon-1', vantage: 'ecs-us-west-2', startedAt: now - 7_200_000, samples: [...ttfts([50], 'us-east-1'), { region: 'us-east-1', errorClass: 'throttled' }] }));
    // Ten days old: outside the last 7 days.
    await sink.write(fleetCycle({ runId: 'r-old', vantage: 'berlin', startedAt: now - 10 * 86_400_000, samples: ttfts([9000], 'eu-central-1') }));
    await sink.close();

    const doc = readFileSync(new URL('../../../../docs/fleet.md', import.meta.url), 'utf8');
    const queries = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '').filter((sql) => sql.includes('read_parquet('));
    expect(queries).toHaveLength(2);
    const [percentiles = '', runsPerDay = ''] = queries;
    const withStore = (sql: string) => sql.replaceAll('<store>', store.replaceAll("'", "''"));
    for (const timeZone of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
      expect(await duckdbQuery(withStore(percentiles), [], { timeZone })).toEqual([
        { vantage: 'berlin', region: 'eu-central-1', samples: 5n, p50_ms: 300, p90_ms: 460, p99_ms: 496 },
        { vantage: 'berlin', region: 'us-east-1', samples: 1n, p50_ms: 300, p90_ms: 300, p99_ms: 300 },
        { vantage: 'ecs-us-west-2', region: 'us-east-1', samples: 1n, p50_ms: 50, p90_ms: 50, p99_ms: 50 },
      ]);
    }
    const days = await duckdbQuery<{ vantage: string; date: Date; runs: bigint; samples: bigint }>(withStore(runsPerDay));
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(days.map((row) => ({ ...row, date: row.date.toISOString().slice(0, 10) }))).toEqual(
      [
        { vantage: 'berlin', date: day(now - 10 * 86_400_000), runs: 1n, samples: 1n },
        { vantage: 'berlin', date: day(now - 2 * 86_400_000), runs: 1n, samples: 3n },
        { vantage: 'berlin', date: day(now - 3_600_000), runs: 1n, samples: 3n },
        { vantage: 'ecs-us-west-2', date: day(now - 7_200_000), runs: 1n, samples: 2n },
      ].sort((a, b) => a.vantage.localeCompare(b.vantage) || a.date.localeCompare(b.date)),
    );
  });

  it('spools what a store that cannot be written refuses, says so, and sends it once the store is back: counts exact', async () => {
    const { store, spoolDir, root } = freshStore();
    // The store's path is a file: every write fails as a missing mount or a read-only disk would.
    writeFileSync(store, 'not a directory');
    const log: string[] = [];
    const sink = createStoreSink({ location: store, region: 'us-east-1', spoolDir, log: (line) => log.push(line) });
    await sink.write(fleetCycle({ runId: 'c1', vantage: 'berlin', startedAt: START, samples: [{}, {}, {}] }));
    await sink.write(fleetCycle({ runId: 'c2', vantage: 'berlin', startedAt: START + 60_000 }));
    expect(sink.status()).toMatchObject({ written: 0, pending: 2, dropped: 0, lastError: expect.stringMatching(/Could not write .*store.*2 cycle\(s\) wait in the spool/) });
    expect(log).toHaveLength(2);

    await rm(store);
    await sink.flush();
    expect(sink.status()).toMatchObject({ written: 2, pending: 0, dropped: 0, lastError: null });
    const rows = await duckdbQuery<{ run_id: string; n: bigint }>('select run_id, count(*) as n from read_parquet($1) group by run_id order by run_id', [join(store, 'samples', '**', '*.parquet')]);
    expect(rows).toEqual([{ run_id: 'c1', n: 3n }, { run_id: 'c2', n: 2n }]);
    expect(log.at(-1)).toMatch(/sent 2 spooled cycle/);
    await sink.close();
    await rm(root, { recursive: true, force: true });
  });

  it('drops the oldest unsent cycles when the spool is full, counts them across restarts, and sends the rest in order', async () => {
    const { store, spoolDir } = freshStore();
    writeFileSync(store, 'away');
    const cycle = (n: number) => fleetCycle({ runId: `full-${n}`, vantage: 'berlin', startedAt: START - 3_600_000 + n * 60_000, samples: [{}, {}, {}, {}] });
    // Room for about two cycles.
    const probe = createStoreSink({ location: store, region: 'us-east-1', spoolDir: join(spoolDir, 'measure') });
    await probe.write(cycle(0));
    const spooled = await readdir(join(spoolDir, 'measure'), { recursive: true });
    const oneCycle = (await import('node:fs')).statSync(join(spoolDir, 'measure', spooled.find((name) => name.endsWith('.cycle'))!)).size;
    await probe.close();

    const log: string[] = [];
    const sink = createStoreSink({ location: store, region: 'us-east-1', spoolDir, spoolMaxBytes: Math.floor(oneCycle * 2.5), log: (line) => log.push(line) });
    for (const n of [1, 2, 3, 4]) await sink.write(cycle(n));
    expect(sink.status()).toMatchObject({ written: 0, pending: 2, dropped: 2 });
    expect(log.filter((line) => /spool is full/.test(line))).toEqual([
      expect.stringMatching(/dropped the 1 oldest unsent cycle\(s\) \(4 samples\); 1 cycle\(s\), 4 samples dropped in all/),
      expect.stringMatching(/dropped the 1 oldest unsent cycle\(s\) \(4 samples\); 2 cycle\(s\), 8 samples dropped in all/),
    ]);
    await sink.close();

    // A new process finds the same counts, and sends what is left once the store is back.
    await rm(store);
    const restarted = createStoreSink({ location: store, region: 'us-east-1', spoolDir, spoolMaxBytes: Math.floor(oneCycle * 2.5) });
    expect(restarted.status()).toMatchObject({ written: 0, pending: 2, dropped: 2 });
    await restarted.flush();
    expect(restarted.status()).toMatchObject({ written: 2, pending: 0, dropped: 2, lastError: null });
    expect(filesUnder(join(store, 'runs'))).toEqual(['vantage=berlin/date=2026-12-05/full-3.parquet', 'vantage=berlin/date=2026-12-05/full-4.parquet']);
    await restarted.close();
  });

  it('drops and counts a spool file that is not one (truncated, foreign, pointing outside the store), and sends the others', async () => {
    const { store, spoolDir } = freshStore();
    writeFileSync(store, 'away');
    const first = createStoreSink({ location: store, region: 'us-east-1', spoolDir });
    await first.write(fleetCycle({ runId: 'kept-1', vantage: 'berlin', startedAt: START }));
    await first.close();
    const spool = spoolDirectoryFor(spoolDir, parseStoreLocation(store));
    const [spooled = ''] = (await readdir(spool)).filter((name) => name.endsWith('.cycle'));
    const whole = readFileSync(join(spool, spooled));
    await writeFile(join(spool, '000000000000001-000000-truncated.cycle'), whole.subarray(0, whole.length - 10));
    await writeFile(join(spool, '000000000000002-000000-foreign.cycle'), 'PAR1 not a spool file');
    const header = JSON.stringify({ runId: 'escape', samples: 0, parts: [{ key: '../../outside.parquet', length: 4 }] });
    await writeFile(join(spool, '000000000000003-000000-escape.cycle'), `bedrock-atlas spool 1\n${header}\nPAR1`);

    await rm(store);
    const next = createStoreSink({ location: store, region: 'us-east-1', spoolDir });
    expect(next.status()).toMatchObject({ pending: 4, dropped: 0 });
    await next.flush();
    expect(next.status()).toMatchObject({ written: 1, pending: 0, dropped: 3, lastError: null });
    expect(filesUnder(join(store, 'runs'))).toEqual(['vantage=berlin/date=2026-12-05/kept-1.parquet']);
    expect(existsSync(join(store, '..', '..', 'outside.parquet'))).toBe(false);
    await next.close();
  });

  it('never shows a torn part: a killed write\'s temporary file is skipped by readers and swept by the next write', async () => {
    const { store, spoolDir } = freshStore();
    const directory = join(store, 'samples', 'vantage=berlin', 'date=2026-12-05');
    await mkdir(directory, { recursive: true });
    // What a writer killed mid-write leaves: half a Parquet file under a temporary name, its process long gone.
    const torn = join(directory, 'dead-run.parquet.999999.0badf00d.tmp');
    await writeFile(torn, Buffer.from('PAR1 half a file'));
    await chmod(torn, 0o644);
    const sink = createStoreSink({ location: store, region: 'us-east-1', spoolDir });
    await sink.write(fleetCycle({ runId: 'live-run', vantage: 'berlin', startedAt: START }));
    await sink.close();
    expect(filesUnder(directory)).toEqual(['live-run.parquet']);
    const rows = await duckdbQuery<{ n: bigint }>('select count(*) as n from read_parquet($1, hive_partitioning = true)', [join(store, 'samples', '**', '*.parquet')]);
    expect(rows).toEqual([{ n: 2n }]);
  });

  it('refuses a cycle whose vantage name cannot name a partition, says why, and writes nothing', async () => {
    const { store, spoolDir } = freshStore();
    const sink = createStoreSink({ location: store, region: 'us-east-1', spoolDir });
    for (const vantage of ['../etc', 'a/b', 'x=y', 'Berlin', '', 'tab\there']) {
      await sink.write(fleetCycle({ runId: 'bad-1', vantage, startedAt: START }));
      expect(sink.status().lastError).toMatch(/cannot name a store partition: use lowercase letters, digits/);
    }
    expect(sink.status()).toMatchObject({ written: 0, pending: 0 });
    await sink.close();
    expect(readdirSync(join(store, '..'))).not.toContain('etc');
    expect(() => readdirSync(store)).toThrow(/ENOENT/);
  });

  it('kill -9 mid-write leaves no torn .parquet, and the next process sends what was spooled: every written cycle whole', async () => {
    const child = fileURLToPath(new URL('./testing/write-cycles-child.ts', import.meta.url));
    // The kill lands wherever the writer is at that moment (encoding, spooling, writing a part, renaming it): at
    // each, the store holds whole parts only, and after a restart every cycle the writer had spooled.
    for (const delayMs of [0, 25, 80]) {
      const { store, spoolDir } = freshStore();
      const writer = spawn(process.execPath, ['--import', 'tsx', child], {
        env: { ...process.env, STORE: store, SPOOL_DIR: spoolDir, CYCLES: '50', SAMPLES: '20000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      writer.stdout.on('data', (chunk) => (stdout += chunk));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => writer.on('exit', (_, signal) => resolve(signal)));
      await vi.waitFor(() => expect(stdout).toMatch(/writing killed-\d+-2\n/), { timeout: 60_000, interval: 2 });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      writer.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const written = [...stdout.matchAll(/^written (\S+)/gm)].map((match) => match[1]);
      const started = [...stdout.matchAll(/^writing (\S+)/gm)].map((match) => match[1]);
      expect(written.length).toBeGreaterThanOrEqual(2);

      // Whatever is in the store now reads whole: DuckDB fails on a torn file.
      const before = await duckdbQuery<{ run_id: string; n: bigint }>('select run_id, count(*) as n from read_parquet($1) group by run_id', [join(store, 'samples', '**', '*.parquet')]);
      expect(before.every((row) => row.n === 20000n)).toBe(true);

      const restarted = createStoreSink({ location: store, region: 'us-east-1', spoolDir });
      await restarted.flush();
      await restarted.write(fleetCycle({ runId: 'after-restart', vantage: 'killed', startedAt: Date.parse('2026-12-07T12:00:00Z') }));
      await restarted.close();
      const runs = await duckdbQuery<{ run_id: string; sample_count: number }>('select run_id, sample_count from read_parquet($1) order by run_id', [join(store, 'runs', '**', '*.parquet')]);
      const samples = await duckdbQuery<{ run_id: string; n: bigint }>('select run_id, count(*) as n from read_parquet($1) group by run_id order by run_id', [join(store, 'samples', '**', '*.parquet')]);
      const stored = runs.map((row) => row.run_id).filter((id) => id !== 'after-restart');
      // Every cycle whose write returned is stored; the one cut off is stored whole or was never spooled.
      for (const runId of written) expect(stored).toContain(runId);
      expect(stored.every((runId) => started.includes(runId))).toBe(true);
      expect(stored.length === written.length || stored.length === written.length + 1).toBe(true);
      expect(samples.filter((row) => row.run_id !== 'after-restart')).toEqual(stored.map((run_id) => ({ run_id, n: 20000n })));
      expect(restarted.status()).toMatchObject({ pending: 0, dropped: 0, lastError: null });
      expect(filesUnder(store).filter((name) => !name.endsWith('.parquet'))).toEqual([]);
    }
  }, 120_000);
});
