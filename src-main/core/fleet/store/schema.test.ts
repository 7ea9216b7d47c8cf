import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLEET_SCHEMA_VERSION, PROBES_TABLE, RUNS_TABLE, SAMPLES_TABLE, STORE_TABLES } from './schema';

/** The columns as version 1 shipped them: a later version may only append to each list. */
const V1_COLUMNS = {
  samples: [
    'run_id', 'measured_at', 'target', 'model_id', 'route_key', 'region', 'invoke_id', 'kind', 'error_class', 'ttft_ms', 'e2e_ms', 'itl_ms',
    'output_tokens', 'server_ms', 'gap_ms', 'reused', 'request_id', 'sent_at', 'level_index', 'scheduled_at', 'vantage', 'schema_version',
  ],
  runs: ['run_id', 'vantage', 'kind', 'started_at', 'finished_at', 'target', 'status', 'settings', 'sample_count', 'probe_count', 'schema_version'],
  probes: ['run_id', 'measured_at', 'region', 'connection', 'dns_ms', 'connect_ms', 'tls_ms', 'ttfb_ms', 'total_ms', 'vantage', 'schema_version'],
};
const V1_TYPES: Record<string, string> = {
  'samples.measured_at': 'TIMESTAMP', 'samples.ttft_ms': 'DOUBLE', 'samples.output_tokens': 'INTEGER', 'samples.reused': 'BOOLEAN',
  'samples.sent_at': 'TIMESTAMP', 'samples.scheduled_at': 'TIMESTAMP', 'samples.level_index': 'INTEGER', 'runs.started_at': 'TIMESTAMP',
  'runs.settings': 'VARCHAR', 'runs.sample_count': 'INTEGER', 'probes.ttfb_ms': 'DOUBLE',
};

describe('the store schema', () => {
  it('only ever gains columns: version 1 is a prefix of every table, with its types unchanged', () => {
    for (const table of STORE_TABLES) {
      const names = table.columns.map((column) => column.name);
      expect(names.slice(0, V1_COLUMNS[table.name].length)).toEqual(V1_COLUMNS[table.name]);
    }
    for (const [qualified, type] of Object.entries(V1_TYPES)) {
      const [tableName, columnName] = qualified.split('.');
      expect(STORE_TABLES.find((table) => table.name === tableName)?.columns.find((column) => column.name === columnName)?.type).toBe(type);
    }
  });

  it('appends a column with the version that added it: versions never go down along a table, never past the current', () => {
    for (const table of STORE_TABLES) {
      const versions = table.columns.map((column) => column.since);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(Math.max(...versions)).toBeLessThanOrEqual(FLEET_SCHEMA_VERSION);
      expect(new Set(table.columns.map((column) => column.name)).size).toBe(table.columns.length);
    }
  });

  it('keeps the history sample columns under their history names', () => {
    const history = readFileSync(new URL('../../latency/history-store.ts', import.meta.url), 'utf8');
    const sampleColumns = /const SAMPLE_COLUMNS =\s*'([^']+)'/.exec(history)?.[1]?.split(', ') ?? [];
    expect(sampleColumns.length).toBeGreaterThan(15);
    expect(SAMPLES_TABLE.columns.map((column) => column.name).slice(0, sampleColumns.length)).toEqual(sampleColumns);
  });

  it('writes the run last, so a run found in the store has its samples and probes there', () => {
    expect(STORE_TABLES.map((table) => table.name)).toEqual([SAMPLES_TABLE.name, PROBES_TABLE.name, RUNS_TABLE.name]);
  });

  it('is documented column by column in docs/fleet.md, with its type and version', () => {
    const doc = readFileSync(new URL('../../../../docs/fleet.md', import.meta.url), 'utf8');
    for (const table of STORE_TABLES) {
      const section = doc.split(`### ${table.name}\n`)[1]?.split('\n### ')[0] ?? '';
      const documented = [...section.matchAll(/^\| `([a-z0-9_]+)` \| ([A-Z]+) \| [a-z]+ \| (\d+) \|/gm)].map((match) => `${match[1]} ${match[2]} ${match[3]}`);
      expect(documented).toEqual(table.columns.map((column) => `${column.name} ${column.type} ${column.since}`));
    }
    expect(doc).toContain(`### Schema (version ${FLEET_SCHEMA_VERSION})`);
  });
});
