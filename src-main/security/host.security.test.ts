import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_IMAGE_BYTES, MAX_IMAGES_PER_REQUEST, MAX_PROMPT_TEXT_CHARS, MAX_REQUEST_BODY_BYTES, MAX_STOP_SEQUENCE_CHARS } from '../../src-shared/contract/limits';
import { ConverseInputSchema } from '../../src-shared/contract';
import { createIpcGate } from '../shell/ipc-gate';
import { createHttpClient } from '../../src-renderer/api/transport';
import { startHostForCore, type WebHost } from '../host/web-host';
import { LONG_PROMPT, startEmulatedCore, type EmulatedCore } from '../testing/emulated-core';

/**
 * Issue 20's findings against the real browser host, the real core and the emulator over loopback HTTP: each test
 * failed before its fix, the way its name says.
 */

let setup: EmulatedCore;
let host: WebHost;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'atlas-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Bedrock Atlas</title>');
  setup = await startEmulatedCore({ overrides: { dataDir: await mkdtemp(join(tmpdir(), 'atlas-security-data-')) } });
  host = await startHostForCore(setup.core, { rendererDir });
});
afterAll(async () => {
  await host?.close();
  await setup?.close();
});

const post = (path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  fetch(`${host.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json', ...headers }, body });
const call = (method: string, input: unknown) => post(`/api/${method}`, JSON.stringify(input));

/** The largest request the contract accepts: 20 images at Bedrock's limit and all the text it allows. */
function largestValidConverse() {
  const image = { image: { format: 'png' as const, bytesBase64: 'A'.repeat(Math.floor(MAX_IMAGE_BYTES / 3) * 4) } };
  return {
    ...LONG_PROMPT,
    messages: [{ role: 'user' as const, content: [{ text: '\u0001'.repeat(MAX_PROMPT_TEXT_CHARS / 2) }, { text: '\u0001'.repeat(MAX_PROMPT_TEXT_CHARS / 2) }, ...Array.from({ length: MAX_IMAGES_PER_REQUEST }, () => image)] }],
  };
}

describe('limits that agree from end to end', () => {
  it('one body limit, above the largest request the contract accepts (20 images of 3.75 MB and the most text)', () => {
    const largest = largestValidConverse();
    expect(ConverseInputSchema.safeParse(largest).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(largest))).toBeLessThan(MAX_REQUEST_BODY_BYTES);
  });

  it('answers a body over the limit with a JSON 413 that fetch can read, naming the limit', async () => {
    const response = await post('/api/stream/converse', new Uint8Array(MAX_REQUEST_BODY_BYTES + 1).fill(32));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      ok: false,
      error: { name: 'HttpError', code: 'REQUEST_TOO_LARGE', message: expect.stringMatching(/over the 115\.4 MB limit on a request/) },
    });
  });

  it('the renderer refuses an oversized call before sending it, naming the limit', async () => {
    // Nothing listens on port 1: a client that tried to send would fail with ConnectionLost instead.
    const client = createHttpClient({ baseUrl: 'http://127.0.0.1:1', token: 'x', reconnectDelayMs: () => 60_000 });
    try {
      await expect(client.api.findModel({ query: 'x'.repeat(MAX_REQUEST_BODY_BYTES) })).rejects.toMatchObject({ name: 'RequestTooLarge', message: expect.stringMatching(/115\.4 MB limit/) });
      await expect(client.api.findModel({ query: 'x' })).rejects.toMatchObject({ name: 'ConnectionLost' });
    } finally {
      client.close();
    }
  });

  it('refuses an oversized argument at the IPC gate with the same limit', async () => {
    const gate = createIpcGate(setup.core.dispatcher, { windowId: () => 1, rendererUrl: 'app://bedrock-atlas/index.html', streams: setup.core.streams });
    const sender = { id: 1, url: 'app://bedrock-atlas/index.html' };
    const envelope = await gate.call('saveConversation', sender, { title: 'x', panes: [], padding: ' '.repeat(MAX_REQUEST_BODY_BYTES) });
    expect(envelope).toMatchObject({ ok: false, error: { name: 'RequestTooLarge', message: expect.stringMatching(/115\.4 MB limit/) } });
    const receiver = { id: 1, send: () => {}, isDestroyed: () => false };
    expect(gate.startStream('converse', sender, receiver, { streamId: 'stream-0001', input: largestValidConverse() })).toMatchObject({ ok: true });
    gate.senderGone(1);
  });

  it('refuses a prompt over the text limit before sending anything upstream, naming the limit', async () => {
    setup.emulator.resetStats();
    const response = await post('/api/stream/converse', JSON.stringify({ ...LONG_PROMPT, messages: [{ role: 'user', content: [{ text: 'x'.repeat(800_000) }, { text: 'y'.repeat(800_000) }, { text: 'z'.repeat(800_000) }] }] }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/messages: The prompt is 2,400,000 characters; a request carries at most 2,000,000 characters of text/);
    expect(setup.emulator.stats().requests['us-east-1']?.ConverseStream ?? 0).toBe(0);
  });

  it('refuses a 4 MB stop sequence with the per-string limit named', async () => {
    const response = await post('/api/stream/converse', JSON.stringify({ ...LONG_PROMPT, inferenceConfig: { stopSequences: ['s'.repeat(4 * 1024 * 1024)] } }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain(`inferenceConfig.stopSequences.0: A stop sequence is at most ${MAX_STOP_SEQUENCE_CHARS} characters`);
  });

  it.each([
    ['saveConversation with an empty result', 'saveConversation', { title: 't', panes: [{ target: 'amazon.nova-pro-v1:0', region: 'us-east-1', turns: [{ role: 'assistant', content: [{ text: 'a' }], result: {} }] }] }, 'panes.0.turns.0.result'],
    ['a window of 99999999999999999999 days', 'latencyHistory', { since: '99999999999999999999d' }, 'since'],
    ['a date that does not exist', 'latencySeries', { target: 'amazon.nova-pro-v1:0', since: '2026-13-45' }, 'since'],
    ['a NUL in a model id', 'rankRoutes', { target: 'amazon.nova\u0000', from: 'us-east-1' }, 'target'],
    ['a NUL in a history target', 'exportLatency', { format: 'csv', target: "x'\u0000" }, 'target'],
  ])('answers %s with a 400 ValidationError naming the field', async (_case, method, input, field) => {
    const response = await call(method, input);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({ name: 'ValidationError', message: expect.stringContaining(`: ${field}`) });
    expect(body.error.message).not.toMatch(/select|insert|from latency/i);
  });

  it('closes a socket that never finishes its headers with a 408, as it does a body', async () => {
    // A host of its own with a short limit (the default is the body's 10 s): the case is the same, only quicker.
    const strict = await startHostForCore(setup.core, { rendererDir, headersTimeoutMs: 300 });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(strict.port, '127.0.0.1', () => socket.write(`POST /api/getAppInfo HTTP/1.1\r\nHost: 127.0.0.1:${strict.port}\r\nX-Slow: `));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    await strict.close();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('a one-time address for the browser', () => {
  const exchange = (code: string) => fetch(`${host.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });

  it('carries a code, not the token, and the code gives the token once', async () => {
    const url = host.oneTimeUrl();
    expect(url).not.toContain(host.token);
    const code = /#code=([A-Za-z0-9_-]{20,})$/.exec(url)?.[1];
    if (!code) throw new Error(`The one-time address carries no code: ${url}`);
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, value: { token: host.token } });
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ ok: false, error: { code: 'CODE_USED' } });
  });

  it('refuses a code it never issued, and each URL has its own code', async () => {
    expect((await exchange('made-up-code-000000000000')).status).toBe(401);
    expect(host.oneTimeUrl()).not.toBe(host.oneTimeUrl());
  });
});

describe('the emulator control API', () => {
  it('refuses a control body over its cap instead of buffering it', async () => {
    const response = await fetch(`${setup.emulator.url}/_emulator/scenario`, { method: 'PUT', body: new Uint8Array(8 * 1024 * 1024).fill(32) });
    expect(response.status).toBe(413);
    expect((await response.json()).message).toMatch(/at most 1048576 bytes/);
  });
});
