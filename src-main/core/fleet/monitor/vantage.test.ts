import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveVantage } from './vantage';

/** Vantage detection against a local stand-in of the ECS task metadata endpoint and of IMDSv2, over real HTTP. */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    // The held requests of the timeout test would keep the server open.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] }> {
  const seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const TOKEN = 'imds-session-token-value';

function imds(request: IncomingMessage, response: ServerResponse) {
  if (request.method === 'PUT' && request.url === '/latest/api/token') return response.end(TOKEN);
  if (request.headers['x-aws-ec2-metadata-token'] !== TOKEN) return response.writeHead(401).end();
  if (request.url === '/latest/meta-data/placement/region') return response.end('ap-southeast-2');
  if (request.url === '/latest/meta-data/placement/availability-zone') return response.end('ap-southeast-2b');
  response.writeHead(404).end();
}

describe('vantage detection', () => {
  it('is off by default: the configured name, nothing asked', async () => {
    const { url, seen } = await serve(imds);
    expect(await resolveVantage('berlin', false, { AWS_EC2_METADATA_SERVICE_ENDPOINT: url })).toMatchObject({ name: 'berlin', placement: null });
    expect(seen).toEqual([]);
  });

  it('reads the region and zone of an ECS task from the task metadata endpoint (v4)', async () => {
    const { url, seen } = await serve((request, response) => {
      if (request.url === '/v4/abc/task') {
        response.setHeader('content-type', 'application/json');
        return response.end(JSON.stringify({ Cluster: 'arn:aws:ecs:us-west-2:111122223333:cluster/monitors', TaskARN: 'arn:aws:ecs:us-west-2:111122223333:task/monitors/1a2b', AvailabilityZone: 'us-west-2c' }));
      }
      response.writeHead(404).end();
    });
    const resolved = await resolveVantage('checkout', true, { ECS_CONTAINER_METADATA_URI_V4: `${url}/v4/abc` });
    expect(resolved).toMatchObject({ name: 'checkout.us-west-2c', placement: { region: 'us-west-2', availabilityZone: 'us-west-2c', source: 'ecs' } });
    expect(seen.map((request) => request.url)).toEqual(['/v4/abc/task']);
  });

  it('reads an EC2 instance\'s placement through an IMDSv2 session token, and never says the token', async () => {
    const { url, seen } = await serve(imds);
    const resolved = await resolveVantage('batch', true, { AWS_EC2_METADATA_SERVICE_ENDPOINT: url });
    expect(resolved).toMatchObject({ name: 'batch.ap-southeast-2b', placement: { region: 'ap-southeast-2', availabilityZone: 'ap-southeast-2b', source: 'imds' } });
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/latest/api/token', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': expect.any(String) } });
    expect(seen.slice(1).every((request) => request.headers['x-aws-ec2-metadata-token'] === TOKEN)).toBe(true);
    expect(resolved.note).not.toContain(TOKEN);
  });

  it('falls back to the configured name, saying why, when the metadata service does not answer in time', async () => {
    const { url, seen } = await serve(() => {
      // Holds every request: only the client's timeout ends it.
    });
    const resolved = await resolveVantage('berlin', true, { AWS_EC2_METADATA_SERVICE_ENDPOINT: url }, 50);
    expect(seen).toHaveLength(1);
    expect(resolved).toMatchObject({ name: 'berlin', placement: null });
    expect(resolved.note).toMatch(/vantage detection failed \(instance metadata \(IMDSv2\): no answer in time\); using the configured name berlin/);
  });

  it('falls back from a broken ECS answer through IMDS to the configured name, naming each failure', async () => {
    const { url: ecs } = await serve((_request, response) => response.end('not json'));
    const { url: refused } = await serve((_request, response) => response.writeHead(403).end());
    const resolved = await resolveVantage('berlin', true, { ECS_CONTAINER_METADATA_URI_V4: ecs, AWS_EC2_METADATA_SERVICE_ENDPOINT: refused });
    expect(resolved.name).toBe('berlin');
    expect(resolved.note).toMatch(/ECS task metadata: the answer is not JSON; instance metadata \(IMDSv2\): \/latest\/api\/token answered HTTP 403/);
  });
});
