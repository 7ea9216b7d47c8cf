import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openHistoryDatabase, type HistoryDatabase } from '../storage/history-database';
import { AttributionStore, type RequestToFind } from './attribution-store';
import type { TrailCall } from './trail-events';

/** The jobs' rows: a pass is written whole, counts add up, nothing found is dropped, a restart looks again. */

const databases: HistoryDatabase[] = [];
afterEach(() => databases.splice(0).forEach((db) => db.close()));

async function store(): Promise<AttributionStore> {
  const db = await openHistoryDatabase({ dataDir: null });
  databases.push(db);
  return new AttributionStore(async () => db);
}

const T0 = Date.parse('2026-06-02T10:00:00Z');
const request = (id: string, sourceRegion = 'us-east-1'): RequestToFind => ({ requestId: id, sampleId: null, sourceRegion, invokeId: 'us.amazon.nova-lite-v1:0', routeKind: 'geo-profile', sentAt: T0 });
const call = (id: string, servedRegion: string): TrailCall => ({ requestId: id, eventName: 'ConverseStream', eventTime: T0, sourceRegion: 'us-east-1', servedRegion, routed: true, tier: null, errorCode: null });

describe('attribution store', () => {
  it('keeps a job and its requests pending until a pass finds them; a request answered twice is counted once', async () => {
    const attribution = await store();
    await attribution.createJob({ jobId: 'run-1', runId: 'run-1', createdAt: T0, deadline: T0 + 1_800_000, state: 'running' }, [request('a'), request('b'), request('c'), request('d', 'eu-west-1')]);
    expect(await attribution.runningJobs()).toEqual(['run-1']);
    expect((await attribution.job('run-1'))?.counts).toEqual({ requests: 4, attributed: 0, pending: 4, unattributed: 0, unreadable: 0, duplicatesResolved: 0 });
    await attribution.recordPass('run-1', {
      at: T0 + 10_000,
      found: [{ call: call('a', 'us-east-2'), copies: 2 }, { call: call('b', 'us-east-1'), copies: 1 }, { call: call('zzz-not-ours', 'us-west-2'), copies: 1 }],
      unreadableRegions: ['eu-west-1'],
      lookedFor: ['a', 'b', 'c'],
      problems: [{ region: 'eu-west-1', reason: 'denied', code: 'AccessDeniedException', message: 'no cloudtrail:LookupEvents' }],
      lookups: 3,
      nextPassAt: T0 + 25_000,
    });
    const job = await attribution.job('run-1');
    expect(job).toMatchObject({
      state: 'running',
      passes: 1,
      lookups: 3,
      nextPassAt: new Date(T0 + 25_000).toISOString(),
      counts: { requests: 4, attributed: 2, pending: 1, unattributed: 0, unreadable: 1, duplicatesResolved: 1 },
      sourceRegions: ['eu-west-1', 'us-east-1'],
      problems: [{ region: 'eu-west-1', reason: 'denied' }],
    });
    expect(await attribution.request('a')).toEqual({ status: 'attributed', servedRegion: 'us-east-2' });
    expect(await attribution.request('zzz-not-ours')).toBeNull();
    expect((await attribution.pendingRequests('run-1')).map((pending) => pending.requestId)).toEqual(['c']);
  });

  it('the last pass makes what is still pending unattributed: counted, never dropped', async () => {
    const attribution = await store();
    await attribution.createJob({ jobId: 'run-2', runId: 'run-2', createdAt: T0, deadline: T0, state: 'running' }, [request('a'), request('b')]);
    await attribution.recordPass('run-2', { at: T0 + 1, found: [{ call: call('a', 'us-west-2'), copies: 1 }], unreadableRegions: [], lookedFor: ['a', 'b'], problems: [], lookups: 1, nextPassAt: null });
    expect(await attribution.job('run-2')).toMatchObject({ state: 'done', nextPassAt: null, finishedAt: new Date(T0 + 1).toISOString(), counts: { requests: 2, attributed: 1, unattributed: 1, pending: 0 } });
    expect(await attribution.runningJobs()).toEqual([]);
  });

  it('a job whose every request was found is done before its deadline', async () => {
    const attribution = await store();
    await attribution.createJob({ jobId: 'run-3', runId: 'run-3', createdAt: T0, deadline: T0 + 1_800_000, state: 'running' }, [request('a')]);
    await attribution.recordPass('run-3', { at: T0 + 1, found: [{ call: call('a', 'us-east-1'), copies: 1 }], unreadableRegions: [], lookedFor: ['a'], problems: [], lookups: 1, nextPassAt: T0 + 15_001 });
    expect(await attribution.job('run-3')).toMatchObject({ state: 'done', counts: { attributed: 1 } });
  });

  it('cancel stops a running job with its pending requests kept; a restart looks again for the unattributed and the unreadable', async () => {
    const attribution = await store();
    await attribution.createJob({ jobId: 'run-4', runId: 'run-4', createdAt: T0, deadline: T0, state: 'running' }, [request('a'), request('b', 'eu-west-1')]);
    await attribution.recordPass('run-4', { at: T0, found: [], unreadableRegions: ['eu-west-1'], lookedFor: ['a'], problems: [], lookups: 2, nextPassAt: null });
    expect((await attribution.job('run-4'))?.counts).toMatchObject({ unattributed: 1, unreadable: 1 });
    await attribution.restart('run-4', T0 + 60_000, T0 + 1_860_000);
    expect(await attribution.job('run-4')).toMatchObject({ state: 'running', deadline: new Date(T0 + 1_860_000).toISOString(), counts: { pending: 2, unattributed: 0, unreadable: 0 } });
    await attribution.setState('run-4', 'cancelled');
    expect(await attribution.job('run-4')).toMatchObject({ state: 'cancelled', nextPassAt: null, counts: { pending: 2 } });
    expect(await attribution.runningJobs()).toEqual([]);
  });

  it('a job with nothing to look up is kept as not-needed, with why', async () => {
    const attribution = await store();
    await attribution.createJob({ jobId: 'run-5', runId: 'run-5', createdAt: T0, deadline: T0, state: 'not-needed', note: 'on demand only' }, []);
    expect(await attribution.job('run-5')).toMatchObject({ state: 'not-needed', note: 'on demand only', counts: { requests: 0 }, finishedAt: new Date(T0).toISOString() });
    expect(await attribution.job('nope')).toBeNull();
  });

  it('with history off, nothing is kept and no job exists', async () => {
    // A data directory under a regular file can never be made, whoever runs the test.
    const file = join(await mkdtemp(join(tmpdir(), 'atlas-attribution-')), 'file');
    await writeFile(file, '');
    const db = await openHistoryDatabase({ dataDir: join(file, 'data') });
    const attribution = new AttributionStore(async () => db);
    expect(await attribution.historyOff()).toMatch(/History is off/);
    await attribution.createJob({ jobId: 'run-6', runId: 'run-6', createdAt: T0, deadline: T0, state: 'running' }, [request('a')]);
    expect(await attribution.job('run-6')).toBeNull();
  });
});
