import { describe, expect, it } from 'vitest';
import { athenaDdl, InvalidDdlOption } from './ddl';
import { InvalidStoreLocation } from './layout';
import { STORE_TABLES } from './schema';

/** One CREATE EXTERNAL TABLE statement of the output, by table. */
function statement(ddl: string, table: string): string {
  return ddl.split('\n\n').find((part) => part.startsWith(`CREATE EXTERNAL TABLE IF NOT EXISTS bedrock_atlas.${table} (`)) ?? '';
}

function properties(sql: string): Record<string, string> {
  return Object.fromEntries([...sql.matchAll(/^ {2}'([^']+)' = '([^']*)',?$/gm)].map((match) => [match[1], match[2]]));
}

describe('the Athena DDL', () => {
  const ddl = athenaDdl({ location: 's3://team-bucket/atlas/fleet/' });

  it('creates the database and one partition-projected Parquet table per store table, over its own prefix', () => {
    expect(ddl).toContain('CREATE DATABASE IF NOT EXISTS bedrock_atlas;');
    for (const table of ['samples', 'probes', 'runs']) {
      const sql = statement(ddl, table);
      expect(sql).toContain('STORED AS PARQUET');
      expect(sql).toContain("PARTITIONED BY (vantage string COMMENT 'The vantage point', `date` string COMMENT 'The UTC day the cycle started, YYYY-MM-DD')");
      expect(sql).toContain(`LOCATION 's3://team-bucket/atlas/fleet/${table}/'`);
      expect(properties(sql)).toEqual({
        'projection.enabled': 'true',
        'projection.vantage.type': 'injected',
        'projection.date.type': 'date',
        'projection.date.format': 'yyyy-MM-dd',
        'projection.date.range': '2026-01-01,NOW',
        'projection.date.interval': '1',
        'projection.date.interval.unit': 'DAYS',
        'storage.location.template': `s3://team-bucket/atlas/fleet/${table}/vantage=\${vantage}/date=\${date}/`,
      });
      expect(sql.endsWith(');')).toBe(true);
    }
  });

  it('lists every schema column with its Athena type, the partition column vantage only among the partitions', () => {
    for (const table of STORE_TABLES) {
      const sql = statement(ddl, table.name);
      const columns = [...sql.matchAll(/^ {2}([a-z0-9_]+) ([a-z]+) COMMENT '[^']*',?$/gm)].map((match) => `${match[1]} ${match[2]}`);
      const expected = table.columns.filter((column) => column.name !== 'vantage').map((column) => `${column.name} ${{ VARCHAR: 'string', TIMESTAMP: 'timestamp', DOUBLE: 'double', INTEGER: 'int', BOOLEAN: 'boolean' }[column.type]}`);
      expect(columns).toEqual(expected);
    }
    expect(statement(ddl, 'samples')).toMatch(/^ {2}measured_at timestamp COMMENT/m);
    expect(statement(ddl, 'runs')).toMatch(/^ {2}settings string COMMENT/m);
  });

  it('takes a database and a first date', () => {
    const custom = athenaDdl({ location: 's3://team-bucket', database: 'Latency_Team', firstDate: '2026-11-30' });
    expect(custom).toContain('CREATE DATABASE IF NOT EXISTS latency_team;');
    expect(custom).toContain("CREATE EXTERNAL TABLE IF NOT EXISTS latency_team.runs (");
    expect(custom).toContain("LOCATION 's3://team-bucket/samples/'");
    expect(custom).toContain("'projection.date.range' = '2026-11-30,NOW',");
  });

  it.each([
    [{ location: '/var/lib/store' }, InvalidStoreLocation, /Athena reads S3 only: give the store as s3:\/\/bucket\/prefix/],
    [{ location: 'https://team-bucket.s3.amazonaws.com/x' }, InvalidStoreLocation, /https:\/\/ URL/],
    [{ location: 's3://Team_Bucket/x' }, InvalidStoreLocation, /not an S3 bucket name/],
    [{ location: "s3://team-bucket/it's" }, InvalidStoreLocation, /quote or "\$\{"/],
    [{ location: 's3://team-bucket/${x}' }, InvalidStoreLocation, /quote or "\$\{"/],
    [{ location: 's3://team-bucket/x', database: 'drop table; --' }, InvalidDdlOption, /is not an Athena database name/],
    [{ location: 's3://team-bucket/x', firstDate: '2026-02-30' }, InvalidDdlOption, /not a day as YYYY-MM-DD/],
    [{ location: 's3://team-bucket/x', firstDate: 'yesterday' }, InvalidDdlOption, /not a day as YYYY-MM-DD/],
  ])('refuses %j', (options, kind, message) => {
    expect(() => athenaDdl(options)).toThrow(kind);
    expect(() => athenaDdl(options)).toThrow(message);
  });
});
