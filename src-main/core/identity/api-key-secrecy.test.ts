import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtlasCore, type AtlasCore } from '../app/atlas-core';
import { startHostForCore } from '../../host/web-host';
import { issueLongTermKey, REGION_HEADER } from '../../emulator/api-keys';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { parseScenario } from '../../emulator/scenario';

/**
 * A Bedrock API key must not leave the core, even when an upstream error quotes it: a proxy that echoes the
 * request's Authorization header in its errors stands in front of every call (eu-west-1 passes through to the
 * emulator, which issued the key). The key then must not reach the catalog's answer and cache file, the log, the
 * SSE streams, the identity answers, or the latency history.
 */

const KEY = issueLongTermKey({ id: 'leak', account: '210987654321' });
const KEY_BODY = KEY.slice(4, 40);
let emulator: RunningEmulator;
let proxy: Server;
let proxyUrl: string;
let core: AtlasCore;
let dir: string;
const logLines: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ scenario: parseScenario({ apiKeys: [KEY] }) });
  const upstream = new URL(emulator.url);
  proxy = createServer((request, response) => {
    if (request.headers[REGION_HEADER] === 'eu-west-1') {
      const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(forwarded);
      return;
    }
    request.resume();
    request.on('end', () => {
      const body = JSON.stringify({ message: `Proxy refused ${request.method} ${request.url} with Authorization: ${request.headers.authorization} (raw ${KEY})` });
      response.writeHead(502, { 'content-type': 'application/json', 'x-amzn-errortype': 'BadGateway', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'atlas-key-secrecy-'));
  core = await createAtlasCore({
    version: '0.0.0-test',
    endpointUrl: proxyUrl,
    bedrockApiKey: KEY,
    overrides: { regions: ['us-east-1', 'eu-west-1'], cacheMode: 'file', cacheDir: join(dir, 'cache'), dataDir: join(dir, 'data') },
    clientTimeouts: { maxAttempts: 1 },
    log: (line) => logLines.push(line),
  });
});
afterAll(async () => {
  await core.close();
  await new Promise((resolve) => proxy.close(resolve));
  await emulator.close();
});

function expectNoKey(text: string, where: string) {
  expect(text.includes(KEY_BODY), `${where} holds the API key`).toBe(false);
}

describe('a Bedrock API key quoted by an upstream error never leaves the core', () => {
  it('the proxy really echoes it, so the test can fail', async () => {
    const answer = await fetch(`${proxyUrl}/foundation-models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(await answer.text()).toContain(KEY_BODY);
  });

  it('not in the catalog’s answer or its cache file', async () => {
    const reply = await core.dispatcher.dispatch('refreshCatalog', undefined);
    const text = JSON.stringify(reply);
    expect(text).toMatch(/"eu-west-1":\{"status":"ok"/);
    expect(text).toContain('Proxy refused');
    expectNoKey(text, 'the refreshCatalog answer');
    const files = await readdir(join(dir, 'cache'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expectNoKey(await readFile(join(dir, 'cache', file), 'utf8'), `cache file ${file}`);
  });

  it('not in the identity answers', async () => {
    for (const method of ['whoAmI', 'apiKeyStatus']) expectNoKey(JSON.stringify(await core.dispatcher.dispatch(method, undefined)), method);
  });

  it('not in the playground’s or the latency lab’s SSE streams, nor in the history', async () => {
    const host = await startHostForCore(core, { port: 0, rendererDir: dir, log: (line) => logLines.push(line) });
    try {
      const post = (name: string, body: unknown) =>
        fetch(`${host.url}/api/stream/${name}`, { method: 'POST', headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((answer) => answer.text());
      const converse = await post('converse', { target: 'minimax.minimax-m2', region: 'us-east-1', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
      expect(converse).toContain('event: error');
      expectNoKey(converse, 'the converse SSE stream');
      const latency = await post('runLatency', { target: 'minimax.minimax-m2', regions: ['us-east-1', 'eu-west-1'], runs: 1, warmup: 0, maxTokens: 4 });
      expect(latency).toContain('event: result');
      expectNoKey(latency, 'the runLatency SSE stream');
      expectNoKey(JSON.stringify(await core.dispatcher.dispatch('latencyHistory', {})), 'the latency history');
    } finally {
      await host.close();
    }
  });

  it('not in the log', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expectNoKey(logLines.join('\n'), 'the log');
  });
});
