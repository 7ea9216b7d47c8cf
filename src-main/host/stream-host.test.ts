import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConverseResult, StreamHandlers } from '../../src-shared/contract';
import { createHttpClient } from '../../src-renderer/api/transport';
import { createDispatcher } from '../core/api/dispatcher';
import { StreamRegistry } from '../core/api/stream-registry';
import { EventHub } from '../core/app/event-hub';
import { parseScenario } from '../emulator/scenario';
import { LONG_PROMPT, startEmulatedCore, waitFor, type EmulatedCore } from '../testing/emulated-core';
import { startHostForCore, startWebHost, type WebHost } from './web-host';

/** Streams through the real browser host: the renderer's HTTP client or raw HTTP, the real core, the emulator. */

let setup: EmulatedCore;
let host: WebHost;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'atlas-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Bedrock Atlas</title>');
  setup = await startEmulatedCore();
  host = await startHostForCore(setup.core, { rendererDir, bodyTimeoutMs: 500 });
});
afterAll(async () => {
  await host?.close();
  await setup?.close();
});
beforeEach(() => {
  setup.emulator.setScenario(parseScenario({}));
  setup.emulator.resetStats();
});

const postStream = (name: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(`${host.url}/api/stream/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });

/** Raw HTTP over a socket, for what fetch will not send (a broken path, a body that never finishes). */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy());
  });
}

describe('streams over the browser host', () => {
  it('round-trips through the renderer client: chunks as they come, then the result', async () => {
    const client = createHttpClient({ baseUrl: host.url, token: host.token, reconnectDelayMs: () => 60_000 });
    let text = '';
    const result = (await client.streams.converse(LONG_PROMPT, (chunk) => (text += chunk.text)).result) as ConverseResult;
    client.close();
    expect(text).toBe(result.text);
    expect(result.api).toBe('ConverseStream');
    expect(result.metrics.e2eMs).toBeGreaterThanOrEqual(result.metrics.ttftMs!);
  });

  it('answers text/event-stream: chunk events, then exactly one result event', async () => {
    const response = await postStream('converse', LONG_PROMPT);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await response.text();
    const events = [...body.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events.filter((event) => event === 'chunk').length).toBeGreaterThan(1);
    expect(events.filter((event) => event !== 'chunk')).toEqual(['result']);
    expect(events[events.length - 1]).toBe('result');
  });

  it('ends with one error event when Bedrock fails after the stream opened', async () => {
    const response = await postStream('converse', { ...LONG_PROMPT, target: 'amazon.nova-2-lite-v1:0' });
    const body = await response.text();
    expect(body).toMatch(/^event: error\ndata: .*"name":"NeedsInferenceProfile".*us\.amazon\.nova-2-lite-v1:0/m);
  });

  it('refuses bad input before opening: 400 with the named error, 404 unknown, 401 no token, 403 foreign origin', async () => {
    const bad = await postStream('converse', { ...LONG_PROMPT, inferenceConfig: { maxTokens: 0 } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { name: 'ValidationError', message: expect.stringContaining('maxTokens') } });
    const unknown = await postStream('dropTables', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect((await postStream('converse', LONG_PROMPT, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await postStream('converse', LONG_PROMPT, { origin: 'https://evil.example' })).status).toBe(403);
    expect(setup.emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  it('aborts the upstream Bedrock request within 100 ms when the client closes the request', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 20 } }));
    const abort = new AbortController();
    const response = await postStream('converse', LONG_PROMPT, {}, abort.signal);
    const reader = response.body!.getReader();
    await reader.read();
    const closedAt = performance.now();
    abort.abort();
    await waitFor(() => (setup.emulator.stats().abortedStreams['us-east-1'] ?? 0) === 1, 1_000, 2);
    expect(performance.now() - closedAt).toBeLessThan(100);
    await waitFor(() => setup.core.streams.size === 0);
  });

  it('cancels from the renderer client, harmlessly twice: upstream sees it, and the call ends with the partial answer marked cancelled', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 20 } }));
    const client = createHttpClient({ baseUrl: host.url, token: host.token, reconnectDelayMs: () => 60_000 });
    let text = '';
    const call = client.streams.converse(LONG_PROMPT, (chunk) => (text += chunk.text));
    await waitFor(() => text.length > 0, 5_000);
    call.cancel();
    call.cancel();
    const result = await call.result;
    expect(result).toMatchObject({ cancelled: true, api: 'ConverseStream' });
    // Every chunk that was sent arrived before the result, and the result holds exactly that text.
    expect(result.text).toBe(text);
    expect(result.text.length).toBeGreaterThan(0);
    await waitFor(() => (setup.emulator.stats().abortedStreams['us-east-1'] ?? 0) === 1, 1_000);
    await waitFor(() => setup.core.streams.size === 0);
    client.close();
  });

  it('a cancel by id over HTTP keeps the response open for the partial result; an unknown id cancels nothing', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 20 } }));
    const streamId = 'host-test-stream-1';
    const response = await postStream('converse', LONG_PROMPT, { 'x-atlas-stream-id': streamId });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = (await reader.read()).value ?? '';
    const cancel = (id: string) =>
      fetch(`${host.url}/api/stream-cancel`, { method: 'POST', headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ streamId: id }) }).then((answer) => answer.json());
    expect(await cancel('no-such-stream-id')).toEqual({ ok: true, value: { cancelled: false } });
    expect(await cancel(streamId)).toEqual({ ok: true, value: { cancelled: true } });
    for (let read = await reader.read(); !read.done; read = await reader.read()) text += read.value;
    const events = [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map(([, event = '', data = '']) => [event, JSON.parse(data)] as const);
    expect(events.filter(([event]) => event !== 'chunk')).toEqual([['result', expect.objectContaining({ cancelled: true })]]);
    expect(events.at(-1)?.[0]).toBe('result');
    await waitFor(() => (setup.emulator.stats().abortedStreams['us-east-1'] ?? 0) === 1, 1_000);
  });

  it('refuses a stream id that is malformed or already running', async () => {
    setup.emulator.setScenario(parseScenario({ perTokenMs: { '*': 20 } }));
    expect((await postStream('converse', LONG_PROMPT, { 'x-atlas-stream-id': 'bad id!' })).status).toBe(400);
    const abort = new AbortController();
    const first = await postStream('converse', LONG_PROMPT, { 'x-atlas-stream-id': 'host-test-stream-2' }, abort.signal);
    const again = await postStream('converse', LONG_PROMPT, { 'x-atlas-stream-id': 'host-test-stream-2' });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ ok: false, error: { name: 'ValidationError', message: expect.stringContaining('already in use') } });
    void first.body?.cancel().catch(() => {});
    abort.abort();
    await waitFor(() => setup.core.streams.size === 0, 2_000);
  });

  it('sends a reconnecting event client the current catalog first', async () => {
    await setup.core.catalog().get();
    const abort = new AbortController();
    const response = await fetch(`${host.url}/api/events`, { headers: { authorization: `Bearer ${host.token}` }, signal: abort.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: catalog.updated')) text += (await reader.read()).value ?? '';
    abort.abort();
    expect(text).toMatch(/event: catalog\.updated\ndata: \{"document":/);
  });
});

describe('the browser host refuses broken requests cleanly', () => {
  it('answers 400 to a malformed percent-encoding, not 500', async () => {
    const answer = await rawRequest(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('BAD_PATH');
    const api = await rawRequest(`POST /api/%ZZ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    expect(api).toMatch(/^HTTP\/1\.1 400/);
  });

  it('cuts off a client that holds its body past the time limit', async () => {
    const started = performance.now();
    const answer = await rawRequest(
      `POST /api/getAppInfo HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nContent-Length: 100\r\n\r\n{"a":`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('BODY_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe('backpressure', () => {
  it('holds the producer while a client reads nothing, and delivers every byte once it reads', async () => {
    // 40 MB: well past what the kernel's socket buffers on both ends can hold (a few MB on loopback).
    const total = 40_000;
    const piece = 'x'.repeat(1_000);
    let produced = 0;
    const registry = new StreamRegistry({
      converse: async (_input: unknown, { emit }: { emit: (chunk: { text: string }) => Promise<void> }) => {
        for (let index = 0; index < total; index++) {
          await emit({ text: `${index}:${piece}\n` });
          produced++;
        }
        return { done: true };
      },
    } as unknown as StreamHandlers);
    const slowHost = await startWebHost({ dispatcher: createDispatcher({} as never), streams: registry, subscribe: new EventHub().subscribe.bind(new EventHub()), rendererDir });
    try {
      const socket = connect(slowHost.port, '127.0.0.1');
      const body = JSON.stringify(LONG_PROMPT);
      socket.write(
        `POST /api/stream/converse HTTP/1.1\r\nHost: 127.0.0.1:${slowHost.port}\r\nAuthorization: Bearer ${slowHost.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      socket.pause();
      await new Promise((resolve) => setTimeout(resolve, 500));
      // 40 MB are ready to go; a client that reads nothing holds the producer to socket buffers plus the high-water mark.
      expect(produced).toBeLessThan(total / 2);
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.resume();
      await new Promise((resolve) => socket.on('close', resolve));
      const text = Buffer.concat(received).toString('utf8');
      const delivered = [...text.matchAll(/^data: (.*)$/gm)].map(([, data = '']) => JSON.parse(data) as { text?: string; done?: boolean });
      const joined = delivered.map((chunk) => chunk.text ?? '').join('');
      expect(joined.split('\n').filter(Boolean).map((line) => Number(line.split(':')[0]))).toEqual([...Array(total).keys()]);
      expect(delivered[delivered.length - 1]).toEqual({ done: true });
      expect(delivered.length).toBeLessThan(total);
    } finally {
      await slowHost.close();
    }
  });
});
