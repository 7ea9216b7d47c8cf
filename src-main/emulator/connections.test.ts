import { describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { hello, pooledHandler, readStream, useEmulator } from './emulator-harness';

const { emulator, runtime, control } = useEmulator();

describe('connection counters', () => {
  it('split per region into runtime and control plane, counting each connection once', async () => {
    const plane = control('us-west-2', { requestHandler: pooledHandler('http1') });
    for (let call = 0; call < 4; call++) await plane.send(new ListFoundationModelsCommand({}));
    const pooled = runtime('us-west-2', 'http1');
    for (let call = 0; call < 3; call++) {
      await readStream((await pooled.send(new ConverseStreamCommand({ modelId: 'us.amazon.nova-lite-v1:0', messages: hello }))).stream);
    }
    await runtime('eu-west-1', 'http1').send(new ConverseCommand({ modelId: 'eu.amazon.nova-lite-v1:0', messages: hello }));
    const stats = emulator().stats();
    expect(stats.requests['us-west-2']).toEqual({ ListFoundationModels: 4, ConverseStream: 3 });
    expect(stats.controlPlaneConnections).toEqual({ 'us-west-2': 1 });
    expect(stats.runtimeConnections).toEqual({ 'us-west-2': 1, 'eu-west-1': 1 });
    expect(stats.connections).toEqual({ 'us-west-2': 2, 'eu-west-1': 1 });
    const overHttp = await (await fetch(`${emulator().url}/_emulator/stats`)).json();
    expect(overHttp).toMatchObject({ runtimeConnections: stats.runtimeConnections, controlPlaneConnections: stats.controlPlaneConnections });
  });

  it('shows HTTP/2 clients opening a session per event stream, even with concurrent streams allowed', async () => {
    for (const protocol of ['sdk-default', 'h2c'] as const) {
      const client = runtime('us-east-2', protocol);
      for (let call = 0; call < 3; call++) {
        await readStream((await client.send(new ConverseStreamCommand({ modelId: 'us.amazon.nova-lite-v1:0', messages: hello }))).stream);
      }
    }
    expect(emulator().stats().runtimeConnections['us-east-2']).toBe(6);
  });
});

/** A raw HTTP/1.1 request, so that the Host header can be forged as a rebinding page's would be. */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('control API', () => {
  const throttleAll = JSON.stringify({ throttle: [{ firstN: 100 }] });
  const currentThrottles = async () => (await (await fetch(`${emulator().url}/_emulator/scenario`)).json()).throttle;

  it('refuses a foreign Origin: a web page cannot rewrite or reset the scenario', async () => {
    const port = emulator().port;
    const put = await raw(port, 'PUT', '/_emulator/scenario', { origin: 'https://evil.example', 'content-type': 'text/plain' }, throttleAll);
    expect(put.status).toBe(403);
    expect(JSON.parse(put.body).message).toContain('https://evil.example');
    expect((await raw(port, 'POST', '/_emulator/reset', { origin: 'null' })).status).toBe(403);
    expect(await currentThrottles()).toEqual([]);
  });

  it('refuses a Host that is not this emulator (DNS rebinding)', async () => {
    const refused = await raw(emulator().port, 'GET', '/_emulator/stats', { host: `attacker.example:${emulator().port}` });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).message).toContain('attacker.example');
  });

  it('answers Node’s fetch (no Origin), its own origin, and localhost', async () => {
    const port = emulator().port;
    const put = await fetch(`${emulator().url}/_emulator/scenario`, { method: 'PUT', body: throttleAll });
    expect(put.status).toBe(200);
    expect(await currentThrottles()).toHaveLength(1);
    expect((await raw(port, 'POST', '/_emulator/reset', { origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect(await currentThrottles()).toEqual([]);
    expect((await raw(port, 'GET', '/_emulator/stats', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('names the bad field of a scenario body', async () => {
    const response = await fetch(`${emulator().url}/_emulator/scenario`, {
      method: 'PUT',
      body: JSON.stringify({ connectionSetupMs: { 'eu-west-1': { medianMs: 'slow' } } }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/^Invalid scenario body: connectionSetupMs\.eu-west-1/);
  });
});
