import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtlasCore, type AtlasCore } from '../app/atlas-core';
import { startHostForCore } from '../../host/web-host';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { parseScenario } from '../../emulator/scenario';
import type { PollClock } from '../sso/device-sign-in';

/**
 * An IAM Identity Center access token must not leave the core either. The sign-in writes it to the token cache and
 * the SDK's credential chain then sends it to the SSO portal itself (x-amz-sso_bearer_token), so the app never holds
 * it as a value of its own. A proxy in front of every call echoes, in its eu-west-1 errors, the raw token it saw go
 * to the portal and the token cache file's JSON. Neither may reach the sign-in's SSE stream, the catalog's answer
 * (what the matrix exports) or its cache file, the identity answers, the latency stream, the history or the log.
 */

const TOKEN_PREFIX = 'emulator-sso-access-';
let emulator: RunningEmulator;
let proxy: Server;
let proxyUrl: string;
let core: AtlasCore;
let dir: string;
/** What the proxy saw go to the SSO portal: the raw access token. */
let seenToken: string | null = null;
const logLines: string[] = [];

const SESSION_PROFILE =
  '[profile team]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = us-east-1\n\n' +
  '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n';

/** Polls without waiting: the emulator approves at once, and nothing here depends on time. */
const instantClock: PollClock = { now: () => Date.now(), sleep: async (_ms, signal) => signal.throwIfAborted() };

async function cacheFileText(): Promise<string> {
  const cache = join(dir, 'home', '.aws', 'sso', 'cache');
  const [file] = await readdir(cache);
  return file ? readFile(join(cache, file), 'utf8') : '';
}

beforeAll(async () => {
  emulator = await startEmulator({ scenario: parseScenario({ sso: { approveAfterPolls: 0 } }) });
  const upstream = new URL(emulator.url);
  proxy = createServer((request, response) => {
    const token = request.headers['x-amz-sso_bearer_token'];
    if (typeof token === 'string') seenToken = token;
    if (/\/eu-west-1\/bedrock\//.test(request.headers.authorization ?? '')) {
      request.resume();
      request.on('end', () => {
        void cacheFileText().then((cached) => {
          const body = JSON.stringify({ message: `Proxy refused ${request.url}: x-amz-sso_bearer_token=${seenToken} raw ${seenToken} cache ${cached}` });
          response.writeHead(502, { 'content-type': 'application/json', 'x-amzn-errortype': 'BadGateway', 'content-length': Buffer.byteLength(body) });
          response.end(body);
        });
      });
      return;
    }
    const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  // A HOME of this file's own for the token cache, and a config file the SDK has not read before.
  dir = await mkdtemp(join(tmpdir(), 'atlas-sso-secrecy-'));
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_REGION', 'AWS_DEFAULT_REGION']) vi.stubEnv(name, undefined);
  vi.stubEnv('HOME', join(dir, 'home'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_ENDPOINT_URL_SSO', proxyUrl);
  await writeFile(join(dir, 'config'), SESSION_PROFILE);
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  core = await createAtlasCore({
    version: '0.0.0-test',
    endpointUrl: proxyUrl,
    bedrockApiKey: null,
    ssoPollClock: instantClock,
    overrides: { regions: ['us-east-1', 'eu-west-1'], awsProfile: 'team', cacheMode: 'file', cacheDir: join(dir, 'cache'), dataDir: join(dir, 'data') },
    clientTimeouts: { maxAttempts: 1 },
    log: (line) => logLines.push(line),
  });
});
afterAll(async () => {
  await core.close();
  vi.unstubAllEnvs();
  await new Promise((resolve) => proxy.close(resolve));
  await emulator.close();
});

/** The token's own characters: the part after the emulator's prefix, which no redaction marker contains. */
function tokenBody(): string {
  expect(seenToken, 'the SDK chain sent no SSO token through the proxy').toMatch(new RegExp(`^${TOKEN_PREFIX}`));
  return seenToken!.slice(TOKEN_PREFIX.length);
}

function expectNoToken(text: string, where: string) {
  expect(text.includes(tokenBody()), `${where} holds the SSO access token`).toBe(false);
}

async function post(host: { url: string; token: string }, name: string, body: unknown): Promise<string> {
  const answer = await fetch(`${host.url}/api/stream/${name}`, { method: 'POST', headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return answer.text();
}

describe('an IAM Identity Center access token never leaves the core', () => {
  it('signs in through the SSE stream, whose frames hold no token; the chain then sends the token to the portal through the proxy', async () => {
    const host = await startHostForCore(core, { port: 0, rendererDir: dir, log: (line) => logLines.push(line) });
    try {
      const stream = await post(host, 'ssoSignIn', {});
      expect(stream).toContain('"signedIn":true');
      expect(await core.dispatcher.dispatch('whoAmI', undefined)).toMatchObject({ ok: true, value: { credentialSource: 'sso' } });
      expectNoToken(stream, 'the ssoSignIn SSE stream');
    } finally {
      await host.close();
    }
    expect(await cacheFileText()).toContain(seenToken!);
  });

  it('the proxy really echoes the token and the cache file, so the tests below can fail', async () => {
    const answer = await fetch(`${proxyUrl}/foundation-models`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x/20261206/eu-west-1/bedrock/aws4_request' } });
    const text = await answer.text();
    expect(text).toContain(tokenBody());
    expect(text).toContain('refreshToken');
  });

  it('not in the catalog’s answer (what the matrix exports) or its cache file', async () => {
    const reply = await core.dispatcher.dispatch('refreshCatalog', undefined);
    const text = JSON.stringify(reply);
    expect(text).toMatch(/"us-east-1":\{"status":"ok"/);
    expect(text).toContain('Proxy refused');
    expectNoToken(text, 'the refreshCatalog answer');
    expectNoToken(JSON.stringify(await core.dispatcher.dispatch('getCatalog', undefined)), 'the getCatalog answer');
    const files = await readdir(join(dir, 'cache'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expectNoToken(await readFile(join(dir, 'cache', file), 'utf8'), `cache file ${file}`);
  });

  it('not in the identity and sign-in answers', async () => {
    for (const method of ['whoAmI', 'apiKeyStatus', 'ssoStatus']) expectNoToken(JSON.stringify(await core.dispatcher.dispatch(method, method === 'ssoStatus' ? {} : undefined)), method);
  });

  it('not in the latency lab’s SSE stream, nor in the history', async () => {
    const host = await startHostForCore(core, { port: 0, rendererDir: dir, log: (line) => logLines.push(line) });
    try {
      const latency = await post(host, 'runLatency', { target: 'anthropic.claude-3-haiku-20240307-v1:0', regions: ['us-east-1', 'eu-west-1'], runs: 1, warmup: 0, maxTokens: 4 });
      expect(latency).toContain('event: result');
      // eu-west-1 reached the echoing proxy: its one call failed (the stream carries counts, the history the rest).
      expect(latency).toMatch(/"eu-west-1":\{"route":\{[^}]*\},"samples":0/);
      expectNoToken(latency, 'the runLatency SSE stream');
      expectNoToken(JSON.stringify(await core.dispatcher.dispatch('latencyHistory', {})), 'the latency history');
    } finally {
      await host.close();
    }
  });

  it('not in the log', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expectNoToken(logLines.join('\n'), 'the log');
  });
});
