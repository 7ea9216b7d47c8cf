import { afterAll, afterEach, beforeAll } from 'vitest';
import { Agent } from 'node:http';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { loadEmulatorData } from './bedrock-data';
import { EMPTY_SCENARIO } from './scenario';
import { startEmulator, type RunningEmulator } from './server';

/**
 * Shared set-up for the emulator's tests: one emulator per test file, real SDK clients over real HTTP on loopback,
 * over either protocol, destroyed after each test with the scenario and counters reset.
 */

export const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };
export const data = loadEmulatorData();
export const hello = [{ role: 'user' as const, content: [{ text: 'Which region is closest?' }] }];

/** HTTP/1.1 with a keep-alive agent (what the app's pooled clients use) or h2c (the runtime client's default). */
export type Protocol = 'http1' | 'h2c';
export const PROTOCOLS: Protocol[] = ['http1', 'h2c'];

/** A request handler that reuses connections: for a control-plane client, or a runtime client built by hand. */
export function pooledHandler(protocol: Protocol) {
  return protocol === 'http1'
    ? new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true }) })
    : new NodeHttp2Handler({ disableConcurrentStreams: false });
}

export function useEmulator() {
  let emulator: RunningEmulator;
  const clients: { destroy(): void }[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ data });
  });
  afterEach(() => {
    emulator.setScenario(EMPTY_SCENARIO);
    emulator.resetStats();
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(() => emulator.close());

  return {
    emulator: () => emulator,
    control(region: string, extra: Record<string, unknown> = {}) {
      const client = new BedrockClient({ region, endpoint: emulator.url, credentials, maxAttempts: 1, ...extra });
      clients.push(client);
      return client;
    },
    runtime(region: string, protocol: Protocol | 'sdk-default' = 'h2c', extra: Record<string, unknown> = {}) {
      const requestHandler = protocol === 'sdk-default' ? undefined : pooledHandler(protocol);
      const client = new BedrockRuntimeClient({
        region,
        endpoint: emulator.url,
        credentials,
        maxAttempts: 1,
        ...(requestHandler ? { requestHandler } : {}),
        ...extra,
      });
      clients.push(client);
      return client;
    },
  };
}

export async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number }; [field: string]: unknown };
  }
  throw new Error('expected the call to fail');
}

export interface ReadStream {
  text: string;
  deltas: string[];
  /** performance.now() at each text delta. */
  arrivals: number[];
  stopReason?: string;
  metadata?: NonNullable<ConverseStreamOutput['metadata']>;
  error?: Error & { [field: string]: unknown };
}

/** Reads a ConverseStream answer to its end or its error, keeping what arrived before an error. */
export async function readStream(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ReadStream> {
  const read: ReadStream = { text: '', deltas: [], arrivals: [] };
  try {
    for await (const event of stream!) {
      if (event.contentBlockDelta?.delta?.text !== undefined) {
        read.arrivals.push(performance.now());
        read.deltas.push(event.contentBlockDelta.delta.text);
        read.text += event.contentBlockDelta.delta.text;
      }
      if (event.messageStop) read.stopReason = event.messageStop.stopReason;
      if (event.metadata) read.metadata = event.metadata;
    }
  } catch (error) {
    read.error = error as ReadStream['error'];
  }
  return read;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
