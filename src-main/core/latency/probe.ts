import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { request as httpRequest, type Agent, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { ProbeChunk, ProbeRegionResult, ProbeReport, ProbeTimings, RegionFailure, StreamContext } from '../../../src-shared/contract';
import type { AwsClientPool } from '../aws/client-pool';
import { explainAwsError } from '../aws/errors';
import type { LatencyHistory, ProbeSampleRow } from './history-store';
import { summarize } from './stats';

/**
 * The network alone, per region: DNS, TCP connect, TLS and the first byte of a cheap unsigned request to the
 * `bedrock-runtime` endpoint, which Bedrock refuses at once (403: no model runs, nothing is billed). Cold samples
 * open a new connection each; warm ones go over a pooled keep-alive connection. Every region is probed at once, so
 * the probe takes about as long as the slowest region. Times come from the socket's own events.
 */

/** An unsigned request to a real runtime route, so a stand-in that charges a connection's first request charges it here. */
const PROBE_PATH = '/model/bedrock-atlas-probe/converse';

/**
 * A credential scope without a signature: AWS refuses it at once as it refuses no header at all, and one endpoint
 * that serves every region (the emulator, a proxy) can tell which region is being probed.
 */
function scopeOnly(region: string): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `AWS4-HMAC-SHA256 Credential=BEDROCKATLASPROBE/${day}/${region}/bedrock/aws4_request`;
}
const PROBE_TIMEOUT_MS = 10_000;

class ProbeTimeout extends Error {
  override readonly name = 'TimeoutError';
}

export interface ProbeDependencies {
  clients: AwsClientPool;
  history: LatencyHistory | null;
  now?: () => number;
  /** Once aborted, no new probe request starts; the ones in flight finish (the monitor's SIGTERM). */
  stopSending?: AbortSignal;
}

/** The probe stopped sending (not cancelled): the samples measured so far are kept. */
class ProbeStopped extends Error {}

interface SocketTimes {
  started: number;
  lookup: number | null;
  connect: number | null;
  secureConnect: number | null;
  sent: number | null;
  firstByte: number | null;
}

/** One unsigned request; `agent` false opens a connection of its own, an agent lends a pooled one. */
function probeOnce(endpoint: URL, region: string, agent: Agent | false, signal: AbortSignal): Promise<SocketTimes & { reused: boolean }> {
  const times: SocketTimes = { started: performance.now(), lookup: null, connect: null, secureConnect: null, sent: null, firstByte: null };
  const send = endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const req: ClientRequest = send(endpoint, {
      method: 'POST',
      path: PROBE_PATH,
      agent,
      headers: { 'user-agent': 'bedrock-atlas-probe', 'content-type': 'application/json', 'content-length': '0', authorization: scopeOnly(region) },
      signal,
    });
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(error);
    };
    req.setTimeout(PROBE_TIMEOUT_MS, () => fail(new ProbeTimeout(`no answer from ${endpoint.host} within ${PROBE_TIMEOUT_MS / 1000} s`)));
    req.on('error', fail);
    req.on('socket', (socket: Socket) => {
      const at = () => performance.now();
      if (!req.reusedSocket) {
        // Set-up events of a new connection only: a pooled socket has had them, and listeners left on it would pile up.
        socket.once('lookup', () => (times.lookup = at()));
        socket.once('connect', () => (times.connect = at()));
        socket.once('secureConnect', () => (times.secureConnect = at()));
      }
      const firstByte = () => (times.firstByte ??= at());
      socket.once('data', firstByte);
      req.once('close', () => socket.off('data', firstByte));
    });
    req.once('finish', () => (times.sent = performance.now()));
    req.on('response', (response) => {
      times.firstByte ??= performance.now();
      response.resume();
      response.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ ...times, reused: req.reusedSocket });
      });
    });
    req.end();
  });
}

const median = (values: number[]) => summarize(values)!.p50;
const medianOrNull = (values: (number | null)[]) => (values.every((value) => value !== null) ? median(values as number[]) : null);

function coldTimings(times: SocketTimes): ProbeTimings {
  const firstByte = times.firstByte!;
  const connected = times.secureConnect ?? times.connect ?? times.started;
  return {
    dnsMs: times.lookup === null ? null : times.lookup - times.started,
    connectMs: times.connect === null ? 0 : times.connect - (times.lookup ?? times.started),
    tlsMs: times.secureConnect === null || times.connect === null ? null : times.secureConnect - times.connect,
    ttfbMs: firstByte - Math.max(times.sent ?? connected, connected),
    totalMs: firstByte - times.started,
  };
}

const warmTtfb = (times: SocketTimes) => times.firstByte! - (times.sent ?? times.started);

async function probeRegion(
  clients: AwsClientPool,
  region: string,
  samples: number,
  signal: AbortSignal,
  record: (row: Omit<ProbeSampleRow, 'runId' | 'region'>) => void,
  stopSending?: AbortSignal,
): Promise<ProbeRegionResult | RegionFailure> {
  let endpoint: URL | null = null;
  const send = (target: URL, agent: Agent | false) => {
    if (stopSending?.aborted) throw new ProbeStopped('The probe stopped sending.');
    return probeOnce(target, region, agent, signal);
  };
  try {
    endpoint = await clients.runtimeEndpoint(region);
    const cold: ProbeTimings[] = [];
    for (let index = 0; index < samples; index++) {
      const timings = coldTimings(await send(endpoint, false));
      cold.push(timings);
      record({ at: Date.now(), connection: 'cold', ...timings });
    }
    const pool = clients.runtimeConnections(region).agentFor(endpoint);
    await send(endpoint, pool); // makes sure the pool holds a connection: every sample after it is warm
    const warm: number[] = [];
    for (let index = 0; index < samples; index++) {
      const times = await send(endpoint, pool);
      const ttfbMs = warmTtfb(times);
      warm.push(ttfbMs);
      record({ at: Date.now(), connection: 'warm', dnsMs: null, connectMs: null, tlsMs: null, ttfbMs, totalMs: null });
    }
    const warmStats = summarize(warm)!;
    return {
      endpoint: endpoint.origin,
      cold: {
        dnsMs: medianOrNull(cold.map((timing) => timing.dnsMs)),
        connectMs: median(cold.map((timing) => timing.connectMs)),
        tlsMs: medianOrNull(cold.map((timing) => timing.tlsMs)),
        ttfbMs: median(cold.map((timing) => timing.ttfbMs)),
        totalMs: median(cold.map((timing) => timing.totalMs)),
      },
      warm: { ttfbMs: warmStats },
      samples,
    };
  } catch (error) {
    if (signal.aborted || error instanceof ProbeStopped) throw error;
    // The probe's own requests fail like any AWS call: the error model names the class and the fix.
    const explained = explainAwsError(error, { service: 'Bedrock runtime', region, profile: clients.profile, redact: (text) => clients.redact(text) }, { timedOut: error instanceof ProbeTimeout });
    return { error: { code: explained.code, message: `${endpoint?.host ?? region}: ${explained.message}` } };
  }
}

export async function probeNetwork(
  input: { regions: readonly string[]; samples: number },
  { signal, emit }: StreamContext<ProbeChunk>,
  dependencies: ProbeDependencies,
): Promise<ProbeReport> {
  const id = randomUUID();
  const startedAt = new Date((dependencies.now ?? Date.now)()).toISOString();
  setMaxListeners(0, signal); // one listener per request in flight, every region at once
  const regions: ProbeReport['regions'] = {};
  const rows: ProbeSampleRow[] = [];
  await Promise.all(
    input.regions.map(async (region) => {
      try {
        const result = await probeRegion(dependencies.clients, region, input.samples, signal, (row) => rows.push({ ...row, runId: id, region }), dependencies.stopSending);
        regions[region] = result;
        await emit({ region, result });
      } catch {
        // Cancelled or stopped: the regions that finished are reported, and every sample measured is kept.
      }
    }),
  );
  const report: ProbeReport = { id, startedAt, status: signal.aborted || dependencies.stopSending?.aborted ? 'cancelled' : 'completed', regions };
  if (dependencies.history) {
    dependencies.history.addProbeSamples(rows);
    await dependencies.history
      .saveRun({ id, kind: 'probe', startedAt, finishedAt: new Date().toISOString(), target: null, status: report.status, report })
      .catch(() => false);
  }
  return report;
}
