import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtlasCore, type AtlasCore } from '../app/atlas-core';
import { startHostForCore } from '../../host/web-host';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatedCoreOptions } from '../../testing/emulated-core';
import { freshHomeEnv, runCli } from '../../cli/testing/run-cli';
import { redactSecrets } from './redact';

/**
 * Credentials must not leave the core through an upstream error text. A proxy that quotes the signed request in its
 * error answers (as AWS's signature-mismatch errors and some proxies do) stands in front of every call; the access
 * key id, the session token, the signature and the Authorization header then must not reach the cache file, the log,
 * the API answers, the SSE stream or the latency history.
 */

const ACCESS_KEY_ID = 'ASIAQUOTEDKEY1234567';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD-session-token-value';
const SECRET = 'quoted/secret+access/key0000000000000000';
let emulator: RunningEmulator;
let proxy: Server;
let proxyUrl: string;
let core: AtlasCore;
let dir: string;
const logLines: string[] = [];

/** Everything the request carried that could identify or replay the credentials. */
function echoedRequest(headers: Record<string, string | string[] | undefined>): string {
  return `Authorization: ${headers.authorization}\nX-Amz-Security-Token: ${headers['x-amz-security-token']}\nX-Amz-Date: ${headers['x-amz-date']}`;
}

beforeAll(async () => {
  emulator = await startEmulator();
  const upstream = new URL(emulator.url);
  proxy = createServer((request, response) => {
    // eu-west-1 passes through to the emulator, so the scan succeeds somewhere and the cache file is written.
    if (/\/eu-west-1\//.test(request.headers.authorization ?? '')) {
      const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(forwarded);
      return;
    }
    request.resume();
    request.on('end', () => {
      const body = JSON.stringify({
        message: `The request signature we calculated does not match the signature you provided. The Canonical String for this request should have been\n'${request.method}\n${request.url}\n${echoedRequest(request.headers)}'`,
      });
      response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'atlas-redaction-'));
  core = await createAtlasCore(
    emulatedCoreOptions(proxyUrl, {
      overrides: { regions: ['us-east-1', 'eu-west-1'], cacheMode: 'file', cacheDir: join(dir, 'cache'), dataDir: join(dir, 'data') },
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: SESSION_TOKEN },
      bundledPath: new URL('../../../bundled/bedrock_catalog_bundled.json', import.meta.url).pathname,
      log: (line) => logLines.push(line),
    }),
  );
});
afterAll(async () => {
  await core.close();
  await new Promise((resolve) => proxy.close(resolve));
  await emulator.close();
});

function expectNoSecret(text: string, where: string) {
  for (const secret of [ACCESS_KEY_ID, SESSION_TOKEN, SECRET, 'Signature=', 'AWS4-HMAC-SHA256 Credential']) {
    expect(text.includes(secret), `${where} holds ${secret.slice(0, 12)}…`).toBe(false);
  }
}

describe('credentials quoted by an upstream error never leave the core', () => {
  it('the proxy really echoes them, so the test can fail', async () => {
    const answer = await fetch(`${proxyUrl}/foundation-models`, { headers: { authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/x, Signature=abc` } });
    expect(await answer.text()).toContain(ACCESS_KEY_ID);
  });

  it('not in the catalog’s region errors, the cache file, or the API answer', async () => {
    const reply = await core.dispatcher.dispatch('refreshCatalog', undefined);
    const text = JSON.stringify(reply);
    expect(text).toContain('The request signature was rejected');
    expect(text).toMatch(/"eu-west-1":\{"status":"ok"/);
    expectNoSecret(text, 'the refreshCatalog answer');
    const cacheFiles = await readdir(join(dir, 'cache'));
    expect(cacheFiles.length).toBeGreaterThan(0);
    for (const file of cacheFiles) expectNoSecret(await readFile(join(dir, 'cache', file), 'utf8'), `cache file ${file}`);
  });

  it('not in the model-access answer', async () => {
    const reply = await core.dispatcher.dispatch('getModelAccess', { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', regions: ['us-east-1'] });
    expectNoSecret(JSON.stringify(reply), 'the getModelAccess answer');
  });

  it('not in the playground’s or the latency lab’s streams over SSE, nor in the history they write', async () => {
    const host = await startHostForCore(core, { port: 0, rendererDir: dir, log: (line) => logLines.push(line) });
    try {
      const post = (name: string, body: unknown) =>
        fetch(`${host.url}/api/stream/${name}`, { method: 'POST', headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((answer) => answer.text());
      const converse = await post('converse', { target: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
      expect(converse).toContain('event: error');
      expectNoSecret(converse, 'the converse SSE stream');
      const latency = await post('runLatency', { target: 'anthropic.claude-3-haiku-20240307-v1:0', regions: ['us-east-1'], runs: 2, warmup: 0 });
      expect(latency).toContain('event: result');
      expectNoSecret(latency, 'the runLatency SSE stream');
      const history = await core.dispatcher.dispatch('latencyHistory', {});
      expectNoSecret(JSON.stringify(history), 'the latency history');
    } finally {
      await host.close();
    }
  });

  it('not in what the CLI prints, for a scan, a prompt and a latency run', async () => {
    const env = { ...freshHomeEnv(), AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: SESSION_TOKEN };
    const shared = ['--endpoint-url', proxyUrl, '--regions', 'us-east-1,eu-west-1', '--cache-mode', 'none'];
    const runs = await Promise.all([
      runCli(['catalog', '--refresh', ...shared], { env }),
      runCli(['prompt', '--target', 'anthropic.claude-3-haiku-20240307-v1:0', '--region', 'us-east-1', ...shared, 'hi'], { env }),
      runCli(['latency', '--target', 'anthropic.claude-3-haiku-20240307-v1:0', '--regions', 'us-east-1', '--runs', '1', ...shared.slice(0, 2), '--cache-mode', 'none', '--json'], { env }),
    ]);
    // Each met the quoted signature error (the proxy answered it), so the test could fail.
    expect(runs.map((run) => run.stdout + run.stderr).join('\n')).toMatch(/signature was rejected/);
    for (const [index, run] of runs.entries()) expectNoSecret(run.stdout + run.stderr, `the CLI's output (${['catalog', 'prompt', 'latency'][index]})`);
  });

  it('not in the log', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expectNoSecret(logLines.join('\n'), 'the log');
  });
});

describe('redactSecrets', () => {
  it('removes key ids, tokens, signatures, Authorization values and Bedrock API keys by their shape', () => {
    const text = [
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261206/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
      'https://bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Security-Token=IQoJb3JpZ2luX2Vj&X-Amz-Signature=abcdef0123456789abcdef',
      'authorization: Bearer bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249',
      'key ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWtleQ== and ASIAIOSFODNN7EXAMPLE',
      '{"accessToken":"aoaAAAAAGexample","sessionToken":"FwoGZXIvYXdz"}',
    ].join('\n');
    const redacted = redactSecrets(text);
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'fe5f80f77d5f', 'IQoJb3JpZ2luX2Vj', 'abcdef0123456789', 'YmVkcm9jay5hbWF6', 'ABSKQmVkcm9ja0FQ', 'ASIAIOSFODNN7EXAMPLE', 'aoaAAAAAGexample', 'FwoGZXIvYXdz']) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain('Action=CallWithBearerToken');
  });

  it('removes the SSO portal’s access-token header however it is echoed (a header line, JSON, a query string)', () => {
    const text = ['x-amz-sso_bearer_token: aoaAAAAAGheaderline', '{"x-amz-sso_bearer_token":"aoaAAAAAGjsonfield"}', '?X-Amz-Sso_Bearer_Token=aoaAAAAAGquery&role_name=Dev'].join('\n');
    const redacted = redactSecrets(text);
    for (const secret of ['aoaAAAAAGheaderline', 'aoaAAAAAGjsonfield', 'aoaAAAAAGquery']) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('role_name=Dev');
  });

  it('removes the values it is told about wherever they appear, and leaves ordinary text alone', () => {
    expect(redactSecrets('key=plainkey12345 and more', ['plainkey12345'])).toBe('key=[redacted] and more');
    expect(redactSecrets('Claude 3 Haiku in eu-west-1 answered in 412 ms')).toBe('Claude 3 Haiku in eu-west-1 answered in 412 ms');
  });
});
