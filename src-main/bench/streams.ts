import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamHandlers } from '../../src-shared/contract';
import { createDispatcher } from '../core/api/dispatcher';
import { StreamRegistry } from '../core/api/stream-registry';
import { EventHub } from '../core/app/event-hub';
import { startWebHost } from '../host/web-host';
import { sampleAt } from './samples';

/**
 * npm run bench:streams — the browser host's stream path, measured in one process:
 * - latency: a chunk emitted by a core stream handler → parsed by an SSE client (fetch, as the renderer reads it),
 *   500 chunks 4 ms apart; target median ≤ 2 ms;
 * - memory: a client that reads slowly (64 KB every 10 ms) receives 10 MB of text chunks; the process's heap and
 *   RSS above their baseline stay within ±10 MB, because the producer waits for the reader.
 */

const percentile = (values: number[], p: number) => sampleAt([...values].sort((a, b) => a - b), Math.min(values.length - 1, Math.floor((p / 100) * values.length)), `p${p}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const rendererDir = await mkdtemp(join(tmpdir(), 'atlas-bench-'));
await writeFile(join(rendererDir, 'index.html'), '<!doctype html>');
const request = { target: 'bench', region: 'us-east-1', messages: [{ role: 'user', content: [{ text: 'x' }] }] };

async function hostWith(converse: StreamHandlers['converse']) {
  const hub = new EventHub();
  const registry = new StreamRegistry({ converse } as StreamHandlers);
  return startWebHost({ dispatcher: createDispatcher({} as never), streams: registry, subscribe: (listener) => hub.subscribe(listener), rendererDir });
}

// 1. Latency from the core to an SSE client.
{
  const chunks = 500;
  const host = await hostWith(async (_input, { emit }) => {
    for (let index = 0; index < chunks; index++) {
      await emit({ text: `${performance.now()}` });
      await sleep(4);
    }
    return {} as never;
  });
  const response = await fetch(`${host.url}/api/stream/converse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const delays: number[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = /^event: chunk\ndata: (.*)$/m.exec(frame)?.[1];
      if (data) delays.push(performance.now() - Number((JSON.parse(data) as { text: string }).text));
    }
  }
  await host.close();
  const median = percentile(delays, 50);
  console.log(`stream chunk core → SSE client: ${delays.length} chunks, median ${median.toFixed(3)} ms, p90 ${percentile(delays, 90).toFixed(3)} ms, p99 ${percentile(delays, 99).toFixed(3)} ms (target median ≤ 2 ms) ${median <= 2 ? 'OK' : 'OVER'}`);
}

// 2. Memory while a slow client receives 10 MB.
{
  const total = 10 * 1024 * 1024;
  const piece = 'y'.repeat(1024);
  const host = await hostWith(async (_input, { emit }) => {
    for (let sent = 0; sent < total; sent += piece.length) await emit({ text: piece });
    return {} as never;
  });
  gc();
  await sleep(100);
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }, 5);
  const body = JSON.stringify(request);
  const socket = connect(host.port, '127.0.0.1');
  socket.write(
    `POST /api/stream/converse HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  let received = 0;
  const started = performance.now();
  // Read 64 KB, then pause 10 ms: about 6 MB/s, far slower than the producer could go.
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    socket.pause();
    setTimeout(() => socket.resume(), 10 * Math.ceil(chunk.length / 65_536));
  });
  await new Promise((resolve) => socket.on('close', resolve));
  clearInterval(sampler);
  await host.close();
  gc();
  const retained = (process.memoryUsage().heapUsed - baseline.heapUsed) / 1024 / 1024;
  const heapDelta = (peakHeap - baseline.heapUsed) / 1024 / 1024;
  const rssDelta = (peakRss - baseline.rss) / 1024 / 1024;
  console.log(
    `slow SSE client: received ${(received / 1024 / 1024).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s; peak heap +${heapDelta.toFixed(1)} MB, peak RSS +${rssDelta.toFixed(1)} MB above baseline, ${retained.toFixed(1)} MB retained after GC (target ±10 MB) ${Math.max(heapDelta, rssDelta) <= 10 ? 'OK' : 'OVER'}`,
  );
}
