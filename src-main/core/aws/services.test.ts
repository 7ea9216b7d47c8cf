import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { EMPTY_SCENARIO, parseScenario } from '../../emulator/scenario';
import { AwsClientPool } from './client-pool';
import { explainAwsError } from './errors';
import { STS, type AwsService } from './services';

/**
 * The client pool across services: one port of the emulator serves Bedrock by path and STS by its query Action;
 * the endpoint policy is the SDK's own unless one endpoint is given for everything.
 */

const credentials = { accessKeyId: 'AKIDSERVICES', secretAccessKey: 'secret' };
let emulator: RunningEmulator;
const cleanup: (() => void)[] = [];
const savedEnv = { ...process.env };

function pool(options: ConstructorParameters<typeof AwsClientPool>[0] = {}) {
  const made = new AwsClientPool({ credentials, ...options });
  cleanup.push(() => made.destroy());
  return made;
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  process.env = { ...savedEnv };
  emulator.setScenario(EMPTY_SCENARIO);
  emulator.resetStats();
  for (const done of cleanup.splice(0)) done();
});

describe('one pool for every service', () => {
  it('asks STS who the caller is on the emulator port that serves Bedrock, dispatched by the query Action', async () => {
    emulator.setScenario(parseScenario({ identity: { account: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/Dev/alice' } }));
    const clients = pool({ endpointUrl: emulator.url });
    const identity = await (await clients.client(STS, 'eu-west-1')).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/Dev/alice' });
    const models = await (await clients.bedrock('eu-west-1')).send(new ListFoundationModelsCommand({}));
    expect(models.modelSummaries!.length).toBeGreaterThan(0);
    expect(emulator.stats().requests['eu-west-1']).toEqual({ 'sts:GetCallerIdentity': 1, ListFoundationModels: 1 });
    expect(clients.simulated).toBe(true);
  });

  it('makes one client per service, region and variant, and disposes of them together', () => {
    const clients = pool({ endpointUrl: emulator.url });
    expect(clients.client(STS, 'eu-west-1')).toBe(clients.client(STS, 'eu-west-1'));
    expect(clients.client(STS, 'eu-west-1')).not.toBe(clients.client(STS, 'us-east-1'));
    expect(clients.bedrockRuntime('eu-west-1')).not.toBe(clients.bedrockRuntime('eu-west-1', { retries: false }));
    const sts = clients.client(STS, 'eu-west-1');
    clients.destroy();
    expect(clients.client(STS, 'eu-west-1')).not.toBe(sts);
  });

  it('signs a global service for its one region, whatever region the caller works in', async () => {
    const globalSts: AwsService<STSClient> = { ...STS, id: 'STS (global test)', signingRegion: 'us-east-1' };
    const clients = pool({ endpointUrl: emulator.url });
    expect(clients.client(globalSts, 'eu-west-3')).toBe(clients.client(globalSts, 'ap-south-1'));
    await (await clients.client(globalSts, 'eu-west-3')).send(new GetCallerIdentityCommand({}));
    expect(Object.keys(emulator.stats().requests)).toEqual(['us-east-1']);
  });

  it('names expired credentials the same way for STS as for Bedrock', async () => {
    const clients = pool({ endpointUrl: emulator.url, credentials: { accessKeyId: 'ASIAEXPIRED0000000000', secretAccessKey: 'x', sessionToken: 'old-token-value' } });
    const failure = await (await clients.client(STS, 'eu-west-1')).send(new GetCallerIdentityCommand({})).catch((error: unknown) => error);
    const explained = explainAwsError(failure, { service: 'STS', region: 'eu-west-1', profile: 'work', redact: (text) => clients.redact(text) });
    expect(explained).toMatchObject({ errorClass: 'credentials', code: 'ExpiredToken' });
    expect(explained.message).toMatch(/session token has expired: refresh it \(`aws sso login --profile work`/);
  });
});

describe('endpoints as the SDK resolves them', () => {
  it('honours AWS_ENDPOINT_URL_STS when no endpoint is given for everything', async () => {
    process.env.AWS_ENDPOINT_URL_STS = emulator.url;
    const identity = await (await pool().client(STS, 'eu-west-1')).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
    expect(emulator.stats().requests['eu-west-1']).toEqual({ 'sts:GetCallerIdentity': 1 });
  });

  it('honours the config file’s services section of the profile in use', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-endpoints-'));
    const config = join(dir, 'config');
    await writeFile(config, `[profile emulated]\nregion = eu-west-1\nservices = local\n\n[services local]\nsts =\n  endpoint_url = ${emulator.url}\n`);
    process.env.AWS_CONFIG_FILE = config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    await (await pool({ profile: 'emulated' }).client(STS, 'eu-west-1')).send(new GetCallerIdentityCommand({}));
    expect(emulator.stats().requests['eu-west-1']).toEqual({ 'sts:GetCallerIdentity': 1 });
  });

  it('resolves the runtime endpoint that warm-ups and probes use from the service’s configured URL', async () => {
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = emulator.url;
    const clients = pool();
    expect((await clients.runtimeEndpoint('eu-west-1')).origin).toBe(new URL(emulator.url).origin);
    const [warm] = await clients.warmUp(['eu-west-1']);
    expect(warm).toMatchObject({ region: 'eu-west-1', status: 403 });
    expect(clients.connectionStats('eu-west-1').opened).toBe(1);
  });

  it('sends every service to the one endpoint given on the command line, over the env and config', async () => {
    process.env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9';
    await (await pool({ endpointUrl: emulator.url }).client(STS, 'eu-west-1')).send(new GetCallerIdentityCommand({}));
    expect(emulator.stats().requests['eu-west-1']).toEqual({ 'sts:GetCallerIdentity': 1 });
  });

  it('leaves AWS’s own endpoints alone otherwise', async () => {
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    process.env.AWS_CONFIG_FILE = join(tmpdir(), 'atlas-no-such-config');
    expect((await pool().runtimeEndpoint('eu-west-3')).host).toBe('bedrock-runtime.eu-west-3.amazonaws.com');
  });
});
