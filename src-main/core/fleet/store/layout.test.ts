import { describe, expect, it } from 'vitest';
import { InvalidStoreLocation, isPartKey, locationText, parseStoreLocation, partitionDate, partKey, runIdProblem, vantageNameProblem } from './layout';

describe('store locations', () => {
  it('reads a directory (relative to the working directory) or s3://bucket/prefix', () => {
    expect(parseStoreLocation('/var/lib/store/')).toEqual({ kind: 'directory', path: '/var/lib/store' });
    expect(parseStoreLocation('team/store', '/home/me')).toEqual({ kind: 'directory', path: '/home/me/team/store' });
    expect(parseStoreLocation('s3://team-store')).toEqual({ kind: 's3', bucket: 'team-store', prefix: '' });
    expect(parseStoreLocation('s3://team-store/')).toEqual({ kind: 's3', bucket: 'team-store', prefix: '' });
    expect(parseStoreLocation(' s3://team.store-1/fleet/v1/ ')).toEqual({ kind: 's3', bucket: 'team.store-1', prefix: 'fleet/v1/' });
    expect(locationText(parseStoreLocation('s3://team-store/fleet'))).toBe('s3://team-store/fleet/');
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['https://bucket.s3.amazonaws.com/x', /https:\/\/ URL: give a directory or s3:\/\/bucket\/prefix/],
    ['s3a://bucket/x', /s3a:\/\/ URL/],
    ['gs://bucket/x', /gs:\/\/ URL/],
    ['s3://', /names no bucket/],
    ['s3:///prefix', /names no bucket/],
    ['s3://Team_Store/x', /"Team_Store" is not an S3 bucket name/],
    ['s3://ab/x', /"ab" is not an S3 bucket name/],
    ['s3://a..b/x', /not an S3 bucket name/],
    ['s3://192.168.1.1/x', /not an S3 bucket name/],
    ['s3://bucket/a//b', /empty, "\.", "\.\." or backslashed segment/],
    ['s3://bucket/a/../b', /segment/],
    ['s3://bucket/./b', /segment/],
    ['s3://bucket/a\\b', /segment/],
    ['s3://bucket/a\u0007b', /control characters/],
    [`s3://bucket/${'p'.repeat(800)}`, /longer than 700 bytes/],
  ])('refuses %j with a clear error', (text, message) => {
    expect(() => parseStoreLocation(text)).toThrow(InvalidStoreLocation);
    expect(() => parseStoreLocation(text)).toThrow(message);
  });
});

describe('part names', () => {
  it('are <table>/vantage=<name>/date=<UTC day of the start>/<run id>.parquet', () => {
    expect(partitionDate(Date.parse('2026-12-06T23:59:59.999Z'))).toBe('2026-12-06');
    expect(partitionDate(Date.parse('2026-12-07T00:30:00+02:00'))).toBe('2026-12-06');
    const key = partKey('samples', 'ecs-us-west-2', '2026-12-06', '5f0c6a7e-1b7e-4c1e-9d2a-4b8f0e6f1a2b');
    expect(key).toBe('samples/vantage=ecs-us-west-2/date=2026-12-06/5f0c6a7e-1b7e-4c1e-9d2a-4b8f0e6f1a2b.parquet');
    expect(isPartKey(key)).toBe(true);
    expect(isPartKey('samples/vantage=x/date=2026-12-06/../../etc/passwd.parquet')).toBe(false);
    expect(isPartKey('/abs/samples/vantage=x/date=2026-12-06/r.parquet')).toBe(false);
  });

  it('take vantage names of lowercase letters, digits, ".", "_" and "-" only, so no path or partition value can be forged', () => {
    for (const good of ['berlin', 'ecs-us-west-2', 'vpc_ap.southeast-2', '0', 'a'.repeat(63)]) expect(vantageNameProblem(good)).toBeNull();
    for (const bad of ['', '.', '..', '../x', 'a/b', 'a\\b', 'x=y', 'Berlin', 'a b', 'tab\t', 'nul\u0000', '-lead', '.hidden', 'é', 'a'.repeat(64), 'a%2Fb']) {
      expect(vantageNameProblem(bad)).toMatch(/cannot name a store partition: use lowercase letters, digits, "\.", "_" and "-", starting with a letter or digit, at most 63 characters/);
    }
    expect(runIdProblem('5f0c6a7e-1b7e-4c1e-9d2a-4b8f0e6f1a2b')).toBeNull();
    expect(runIdProblem('../run')).toMatch(/cannot name a part/);
  });
});
