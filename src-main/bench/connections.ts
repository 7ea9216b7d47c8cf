import { BedrockRuntimeClient, ConverseStreamCommand, type Message } from '@aws-sdk/client-bedrock-runtime';
import { AwsClientPool } from '../core/aws/client-pool';
import { startEmulator } from '../emulator/server';
import { parseScenario } from '../emulator/scenario';

/**
 * npm run bench:connections — 50 sequential ConverseStream calls to one region through `AwsClientPool`, then 5
 * rounds of 3 concurrent calls, against the emulator. Prints the connections opened and reused, as counted by the
 * client's pool and by the emulator, and for comparison what the SDK's default (HTTP/2) client opens for the same
 * 50 calls. Targets: 1 connection for the 50 sequential calls; at most 3 for calls 3 at a time.
 */
const REGION = 'us-east-1';
const MODEL = 'us.amazon.nova-2-lite-v1:0';
const hello: Message[] = [{ role: 'user', content: [{ text: 'Say hello in a few words' }] }];
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

const emulator = await startEmulator({ scenario: parseScenario({ timeToFirstTokenMs: { '*': 20 }, perTokenMs: { '*': 1 } }) });

async function converseStream(client: BedrockRuntimeClient): Promise<void> {
  const response = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: hello, inferenceConfig: { maxTokens: 16 } }));
  for await (const event of response.stream!) void event;
}

try {
  const sequentialClients = new AwsClientPool({ endpointUrl: emulator.url, credentials });
  const started = performance.now();
  for (let call = 0; call < 50; call++) await converseStream(await sequentialClients.bedrockRuntime(REGION, { streaming: true }));
  const sequentialMs = performance.now() - started;
  const sequential = sequentialClients.connectionStats(REGION);
  const sequentialAtEmulator = emulator.stats().runtimeConnections[REGION];
  sequentialClients.destroy();

  emulator.resetStats();
  const concurrentClients = new AwsClientPool({ endpointUrl: emulator.url, credentials });
  for (let round = 0; round < 5; round++) await Promise.all([0, 1, 2].map(async () => converseStream(await concurrentClients.bedrockRuntime(REGION, { streaming: true }))));
  const concurrent = concurrentClients.connectionStats(REGION);
  const concurrentAtEmulator = emulator.stats().runtimeConnections[REGION] ?? 0;
  concurrentClients.destroy();

  emulator.resetStats();
  const sdkDefault = new BedrockRuntimeClient({ region: REGION, endpoint: emulator.url, credentials });
  for (let call = 0; call < 50; call++) await converseStream(sdkDefault);
  const sdkDefaultAtEmulator = emulator.stats().runtimeConnections[REGION];
  sdkDefault.destroy();

  console.log(`Runtime connections to ${REGION} through AwsClientPool (HTTP/1.1 keep-alive pool), emulator`);
  console.log(
    `  50 sequential ConverseStream calls: ${sequential.opened} opened, ${sequential.reused} reused (emulator saw ${sequentialAtEmulator}), ${(sequentialMs / 50).toFixed(1)} ms per call  target 1 opened: ${verdict(sequential.opened === 1 && sequentialAtEmulator === 1)}`,
  );
  console.log(`  the same 50 through the SDK's default client (HTTP/2): the emulator saw ${sdkDefaultAtEmulator} connections`);
  console.log(
    `  5 rounds of 3 concurrent calls:     ${concurrent.opened} opened, ${concurrent.reused} reused (emulator saw ${concurrentAtEmulator})  target <= 3 opened: ${verdict(concurrent.opened <= 3 && concurrentAtEmulator <= 3)}`,
  );
} finally {
  await emulator.close();
}
