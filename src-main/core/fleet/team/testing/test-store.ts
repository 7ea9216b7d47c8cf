import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openHistoryDatabase, type HistoryDatabase } from '../../../storage/history-database';

/**
 * Parts of a team store as the monitor's writer lays them out (`samples/vantage=<v>/date=<d>/<run>.parquet`, the
 * history's own columns, `vantage` and `schema_version`), written by DuckDB: what the team data's tests read. A
 * part can carry a later schema version and extra columns, as a newer Bedrock Atlas would write it.
 */

export interface TestSample {
  region: string;
  ttftMs: number | null;
  /** Default: the test's model id. */
  modelId?: string;
  invokeId?: string;
  kind?: string;
  errorClass?: string | null;
  /** Epoch ms; default: the part's start. */
  at?: number;
}

export interface TestPart {
  vantage: string;
  runId: string;
  /** Epoch ms of the run (its date partition). */
  startedAt: number;
  samples: TestSample[];
  schemaVersion?: number;
  /** Columns a newer version added, with one value for every row. */
  extraColumns?: Record<string, string>;
}

export const TEST_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

let encoder: Promise<HistoryDatabase> | null = null;
const engine = () => (encoder ??= openHistoryDatabase({ dataDir: null }));

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
const partitionDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

export function samplesKey(part: Pick<TestPart, 'vantage' | 'runId' | 'startedAt'>): string {
  return `samples/vantage=${part.vantage}/date=${partitionDate(part.startedAt)}/${part.runId}.parquet`;
}

export function runsKey(part: Pick<TestPart, 'vantage' | 'runId' | 'startedAt'>): string {
  return `runs/vantage=${part.vantage}/date=${partitionDate(part.startedAt)}/${part.runId}.parquet`;
}

/** The samples part and the runs part of one run, as bytes keyed by their path in the store. */
export async function encodeParts(part: TestPart): Promise<Map<string, Buffer>> {
  const db = await engine();
  const version = part.schemaVersion ?? 1;
  const extra = Object.entries(part.extraColumns ?? {}).map(([name, value]) => `, ${quote(value)} as "${name.replace(/"/g, '')}"`).join('');
  const rows = part.samples.map((sample) => {
    const modelId = sample.modelId ?? TEST_MODEL;
    const at = new Date(sample.at ?? part.startedAt).toISOString();
    return `select ${quote(part.runId)} as run_id, ${quote(at)}::timestamp as measured_at, ${quote(modelId)} as target, ${quote(modelId)} as model_id,
      ${quote(sample.region)} as route_key, ${quote(sample.region)} as region, ${quote(sample.invokeId ?? modelId)} as invoke_id, ${quote(sample.kind ?? 'on-demand')} as kind,
      ${sample.errorClass ? quote(sample.errorClass) : 'null::varchar'} as error_class, ${sample.ttftMs === null ? 'null::double' : `${sample.ttftMs}::double`} as ttft_ms,
      ${sample.ttftMs === null ? 'null::double' : `${sample.ttftMs + 500}::double`} as e2e_ms, 20::double as itl_ms, 50::integer as output_tokens,
      null::double as server_ms, null::double as gap_ms, true as reused, null::varchar as request_id, null::timestamp as sent_at,
      null::integer as level_index, null::timestamp as scheduled_at, ${quote(part.vantage)} as vantage, ${version}::integer as schema_version${extra}`;
  });
  const started = new Date(part.startedAt).toISOString();
  const run = `select ${quote(part.runId)} as run_id, ${quote(part.vantage)} as vantage, 'latency' as kind, ${quote(started)}::timestamp as started_at,
    ${quote(started)}::timestamp as finished_at, ${quote(TEST_MODEL)} as target, 'completed' as status, '{}' as settings, ${part.samples.length}::integer as sample_count,
    0::integer as probe_count, ${version}::integer as schema_version${extra}`;
  const scratch = join(tmpdir(), `test-store-${process.pid}-${Math.random().toString(16).slice(2)}`);
  await mkdir(scratch, { recursive: true });
  try {
    const out = new Map<string, Buffer>();
    for (const [key, select] of [
      [samplesKey(part), rows.join(' union all ')],
      [runsKey(part), run],
    ] as const) {
      const file = join(scratch, 'part.parquet');
      await db.run(`copy (${select}) to ${quote(file)} (format parquet)`);
      out.set(key, await readFile(file));
    }
    return out;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Writes the parts into a directory store. */
export async function writeDirectoryParts(root: string, parts: TestPart[]): Promise<string[]> {
  const { writeFile } = await import('node:fs/promises');
  const keys: string[] = [];
  for (const part of parts) {
    for (const [key, bytes] of await encodeParts(part)) {
      const path = join(root, ...key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
      keys.push(key);
    }
  }
  return keys;
}

/** `count` samples with TTFTs spread evenly around `median` (so the median is exactly it). */
export function samplesAround(region: string, median: number, count = 5, spread = 10): TestSample[] {
  const half = Math.floor(count / 2);
  return Array.from({ length: count }, (_, index) => ({ region, ttftMs: median + (index - half) * spread }));
}
