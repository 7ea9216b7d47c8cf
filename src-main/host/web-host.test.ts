import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { createDispatcher } from '../core/api/dispatcher';
import type { AtlasHandlers } from '../../src-shared/contract';
import type { AtlasEvent } from '../../src-shared/events';
import { EventHub } from '../core/app/event-hub';
import { startWebHost, type WebHost } from './web-host';
import { MAX_REQUEST_BODY_BYTES } from '../../src-shared/contract/limits';

const appInfo = { name: 'Bedrock Atlas', version: '0.0.0', transport: 'web' as const, platform: 'linux', endpointUrl: null, simulated: false, awsProfile: null };
const handlers = {
  getAppInfo: async () => appInfo,
  findModel: async ({ query }: { query: string }) => (query === 'boom' ? Promise.reject(Object.assign(new Error('it broke'), { name: 'CatalogUnavailable', code: 'CATALOG_UNAVAILABLE' })) : null),
} as unknown as AtlasHandlers;

let host: WebHost;
const hub = new EventHub();

/** Raw HTTP so tests can send a Host header that fetch would not let them forge. */
function raw(path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    call.on('error', reject);
    call.end(body);
  });
}

const api = (method: string, body: unknown, token = host.token) =>
  fetch(`${host.url}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  const rendererDir = await mkdtemp(join(tmpdir(), 'atlas-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Bedrock Atlas</title>');
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Bedrock Atlas</title></head></html>');
  host = await startWebHost({ dispatcher: createDispatcher(handlers), subscribe: (listener) => hub.subscribe(listener), rendererDir, launchCommand: 'npm start' });
});
afterAll(() => host.close());

describe('browser host', () => {
  it('binds 127.0.0.1 and prints the token in the URL fragment', () => {
    expect(host.launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
  });

  it('round-trips a contract call', async () => {
    const response = await api('getAppInfo', {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: appInfo });
  });

  it('keeps error names across the transport', async () => {
    const body = await (await api('findModel', { query: 'boom' })).json();
    expect(body).toEqual({ ok: false, error: { name: 'CatalogUnavailable', code: 'CATALOG_UNAVAILABLE', message: 'it broke' } });
  });

  it('rejects an invalid argument with a named validation error', async () => {
    const response = await api('findModel', { query: 42, extra: true });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({ name: 'ValidationError', code: 'INVALID_ARGUMENT' });
    expect(body.error.issues.map((issue: { path: string }) => issue.path)).toContain('query');
  });

  it('answers 401 without the token, or with a wrong one', async () => {
    expect((await fetch(`${host.url}/api/getAppInfo`, { method: 'POST' })).status).toBe(401);
    expect((await api('getAppInfo', {}, 'wrong-token')).status).toBe(401);
  });

  it('answers 403 to a foreign Host (DNS rebinding) or a foreign Origin', async () => {
    const auth = { authorization: `Bearer ${host.token}` };
    expect((await raw('/api/getAppInfo', { ...auth, host: `evil.example:${host.port}` }, 'POST')).status).toBe(403);
    expect((await raw('/', { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await raw('/api/getAppInfo', { ...auth, host: `127.0.0.1:${host.port}`, origin: 'https://evil.example' }, 'POST')).status).toBe(403);
    expect((await raw('/api/getAppInfo', { ...auth, host: `localhost:${host.port}`, origin: `http://localhost:${host.port}` }, 'POST', '{}')).status).toBe(200);
  });

  it('answers 404 with a JSON error for an unknown method, and 400 for bad JSON', async () => {
    const unknown = await api('dropTables', {});
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.name).toBe('UnknownMethodError');
    const badJson = await fetch(`${host.url}/api/getAppInfo`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` }, body: '{"' });
    expect(badJson.status).toBe(400);
  });

  it('refuses an oversized body (413) and API calls that are not POST (405)', async () => {
    // The contract's one request limit, for methods as for streams.
    const huge = await fetch(`${host.url}/api/findModel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
      body: new Uint8Array(MAX_REQUEST_BODY_BYTES + 1).fill(32),
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('REQUEST_TOO_LARGE');
    expect((await fetch(`${host.url}/api/getAppInfo`, { headers: { authorization: `Bearer ${host.token}` } })).status).toBe(405);
  });

  it('serves the dashboard with a strict CSP and refuses path traversal', async () => {
    const page = await fetch(`${host.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await raw('/..%2f..%2fetc%2fpasswd', { host: `127.0.0.1:${host.port}` })).status).toBe(404);
  });

  it('streams events as Server-Sent Events to authorised clients', async () => {
    const controller = new AbortController();
    const response = await fetch(`${host.url}/api/events`, { headers: { authorization: `Bearer ${host.token}` }, signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read(); // ": connected"
    const event: AtlasEvent = { type: 'catalog.scanFinished', payload: { scanId: 's1', cancelled: false, okRegions: 3, failedRegions: 0 } };
    hub.emit(event);
    const { value } = await reader.read();
    expect(value).toBe(`event: catalog.scanFinished\ndata: ${JSON.stringify(event.payload)}\n\n`);
    controller.abort();
  });

  it('names its launch command in the page, for the page shown without a token', async () => {
    const page = await (await fetch(`${host.url}/`)).text();
    expect(page).toContain('<meta name="bedrock-atlas-launch-command" content="npm start"></head>');
  });
});
