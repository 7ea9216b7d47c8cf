import { describe, expect, it } from 'vitest';
import {
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  paginateListInferenceProfiles,
} from '@aws-sdk/client-bedrock';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { data, hello, pooledHandler, rejection, useEmulator } from './emulator-harness';
import { EMULATOR_HEADER } from './server';
import { parseScenario } from './scenario';
import { COMMERCIAL_REGIONS } from '../../src-shared/regions';

const { emulator, control, runtime } = useEmulator();

describe('control plane', () => {
  it('answers every scanned region with its recorded models and disables the two unscanned ones', async () => {
    expect(data.regions.size).toBe(31);
    const answers = await Promise.all(
      COMMERCIAL_REGIONS.map(async (region) => {
        try {
          const result = await control(region).send(new ListFoundationModelsCommand({}));
          return { region, count: result.modelSummaries!.length };
        } catch (error) {
          return { region, error: (error as Error).name };
        }
      }),
    );
    for (const answer of answers) {
      if (answer.region === 'me-south-1' || answer.region === 'me-central-1') {
        expect(answer).toEqual({ region: answer.region, error: 'UnrecognizedClientException' });
      } else {
        expect(answer.count).toBe(data.regions.get(answer.region)!.models.length);
      }
    }
  });

  it('keeps the recorded shapes and quirks', async () => {
    const { modelSummaries } = await control('us-east-1').send(new ListFoundationModelsCommand({}));
    const byId = new Map(modelSummaries!.map((model) => [model.modelId, model]));
    expect(byId.get('anthropic.claude-sonnet-4-20250514-v1:0')).toMatchObject({
      modelName: 'Claude Sonnet 4',
      providerName: 'Anthropic',
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0',
    });
    expect([...byId.keys()].some((id) => id?.endsWith(':8k'))).toBe(true);
    expect(modelSummaries!.some((model) => model.responseStreamingSupported === undefined)).toBe(true);
    expect(modelSummaries!.some((model) => model.inferenceTypesSupported?.join() === 'INFERENCE_PROFILE')).toBe(true);
  });

  it('applies all four ListFoundationModels filters', async () => {
    const client = control('us-west-2');
    const anthropic = await client.send(new ListFoundationModelsCommand({ byProvider: 'Anthropic' }));
    expect(anthropic.modelSummaries!.length).toBeGreaterThan(0);
    expect(anthropic.modelSummaries!.every((model) => model.providerName === 'Anthropic')).toBe(true);
    const images = await client.send(new ListFoundationModelsCommand({ byOutputModality: 'IMAGE' }));
    expect(images.modelSummaries!.every((model) => model.outputModalities!.includes('IMAGE'))).toBe(true);
    const onDemand = await client.send(new ListFoundationModelsCommand({ byInferenceType: 'ON_DEMAND' }));
    expect(onDemand.modelSummaries!.every((model) => model.inferenceTypesSupported!.includes('ON_DEMAND'))).toBe(true);
    const fineTune = await client.send(new ListFoundationModelsCommand({ byCustomizationType: 'FINE_TUNING' }));
    expect(fineTune.modelSummaries!.every((model) => model.customizationsSupported!.includes('FINE_TUNING'))).toBe(true);
  });

  it('pages inference profiles: maxResults=5 yields the same set as one page of 1000', async () => {
    const client = control('us-east-1');
    const small: string[] = [];
    for await (const page of paginateListInferenceProfiles({ client }, { maxResults: 5, typeEquals: 'SYSTEM_DEFINED' })) {
      expect(page.inferenceProfileSummaries!.length).toBeLessThanOrEqual(5);
      small.push(...page.inferenceProfileSummaries!.map((profile) => profile.inferenceProfileId!));
    }
    const large: string[] = [];
    for await (const page of paginateListInferenceProfiles({ client }, { maxResults: 1000 })) {
      large.push(...page.inferenceProfileSummaries!.map((profile) => profile.inferenceProfileId!));
    }
    expect(new Set(small)).toEqual(new Set(large));
    expect(small.length).toBe(data.regions.get('us-east-1')!.profiles.length);
  });

  it('routes geo profiles per source region and gives global profiles the region-less ARN', async () => {
    const fromUsWest1 = await control('us-west-1').send(
      new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.amazon.nova-2-lite-v1:0' }),
    );
    expect(fromUsWest1.models!.map((model) => model.modelArn!.split(':')[3]).sort()).toEqual([
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
    ]);
    const global = await control('eu-west-2').send(
      new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'global.amazon.nova-2-lite-v1:0' }),
    );
    expect(global.models?.[0]?.modelArn).toBe('arn:aws:bedrock:::foundation-model/amazon.nova-2-lite-v1:0');
    expect(global.inferenceProfileArn).toBe(
      'arn:aws:bedrock:eu-west-2:123456789012:inference-profile/global.amazon.nova-2-lite-v1:0',
    );
  });

  it('answers GetFoundationModel, and 404s for unknown models and profiles', async () => {
    const client = control('us-east-1');
    const details = await client.send(new GetFoundationModelCommand({ modelIdentifier: 'anthropic.claude-3-haiku-20240307-v1:0' }));
    expect(details.modelDetails!.modelName).toBe('Claude 3 Haiku');
    expect((await rejection(client.send(new GetFoundationModelCommand({ modelIdentifier: 'acme.nothing-v1:0' })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect(
      (await rejection(client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'eu.acme.nothing-v1:0' })))).name,
    ).toBe('ResourceNotFoundException');
  });

  it('reports model access, denied access and pending agreements', async () => {
    emulator().setScenario(
      parseScenario({
        accessDenied: [{ region: 'us-east-1', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' }],
        agreementPending: [{ modelId: 'amazon.nova-2-lite-v1:0' }],
      }),
    );
    const client = control('us-east-1');
    const denied = await client.send(new GetFoundationModelAvailabilityCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0' }));
    expect(denied.authorizationStatus).toBe('NOT_AUTHORIZED');
    const pending = await client.send(new GetFoundationModelAvailabilityCommand({ modelId: 'amazon.nova-2-lite-v1:0' }));
    expect(pending.agreementAvailability!.status).toBe('PENDING');
    const fine = await control('us-west-2').send(new GetFoundationModelAvailabilityCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0' }));
    expect(fine).toMatchObject({ authorizationStatus: 'AUTHORIZED', regionAvailability: 'AVAILABLE' });
  });

  it('announces itself and tags each answer with a request id', async () => {
    const response = await fetch(`${emulator().url}/foundation-models`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261122/eu-west-1/bedrock/aws4_request, Signature=x' },
    });
    expect(response.headers.get(EMULATOR_HEADER)).toBe('1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/[0-9a-f-]{36}/);
  });

  it('rejects unsigned calls, unknown routes and bad scenario bodies', async () => {
    const unsigned = await fetch(`${emulator().url}/foundation-models`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:/);
    expect((await fetch(`${emulator().url}/nope`)).status).toBe(404);
    const badScenario = await fetch(`${emulator().url}/_emulator/scenario`, {
      method: 'PUT',
      body: JSON.stringify({ throttle: [{ region: 'us-east-1' }] }),
    });
    expect(badScenario.status).toBe(400);
    expect((await badScenario.json()).message).toMatch(/throttle\.0.*firstN, ratePerSecond or requestsPerMinute/);
  });
});

describe('runtime', () => {
  it('converses through a model id, a profile id and a profile ARN, honouring maxTokens and stop sequences', async () => {
    const client = runtime('us-east-1');
    const bare = await client.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: hello }));
    expect(bare.stopReason).toBe('end_turn');
    expect(bare.usage!.outputTokens).toBeGreaterThan(10);
    const viaProfile = await client.send(
      new ConverseCommand({ modelId: 'us.amazon.nova-2-lite-v1:0', messages: hello, inferenceConfig: { maxTokens: 5 } }),
    );
    expect(viaProfile.stopReason).toBe('max_tokens');
    expect(viaProfile.usage!.outputTokens).toBe(5);
    const viaArn = await client.send(
      new ConverseCommand({
        modelId: 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.amazon.nova-2-lite-v1:0',
        messages: hello,
      }),
    );
    const text = viaArn.output?.message?.content?.[0]?.text ?? '';
    const stopWord = text.split(' ')[3];
    if (!stopWord) throw new Error(`The answer has fewer than four words: "${text}"`);
    const stopped = await client.send(
      new ConverseCommand({
        modelId: 'global.amazon.nova-2-lite-v1:0',
        messages: hello,
        inferenceConfig: { stopSequences: [stopWord] },
      }),
    );
    expect(stopped.stopReason).toBe('stop_sequence');
    const stoppedText = stopped.output?.message?.content?.[0]?.text;
    expect(stoppedText).toEqual(expect.any(String));
    expect(stoppedText).not.toContain(stopWord);
  });

  it('sends the exact Bedrock errors for bad identifiers and denied access', async () => {
    emulator().setScenario(parseScenario({ accessDenied: [{ modelId: 'anthropic.claude-3-haiku-20240307-v1:0' }] }));
    const client = runtime('us-east-1');
    const unknown = await rejection(client.send(new ConverseCommand({ modelId: 'acme.nothing-v1:0', messages: hello })));
    expect([unknown.name, unknown.message]).toEqual(['ValidationException', 'The provided model identifier is invalid.']);
    const profileOnly = await rejection(client.send(new ConverseCommand({ modelId: 'amazon.nova-2-lite-v1:0', messages: hello })));
    expect(profileOnly.message).toBe(
      'Invocation of model ID amazon.nova-2-lite-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.',
    );
    const foreignProfile = await rejection(client.send(new ConverseCommand({ modelId: 'eu.amazon.nova-2-lite-v1:0', messages: hello })));
    expect(foreignProfile.name).toBe('ValidationException');
    const denied = await rejection(
      client.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: hello })),
    );
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
    const disabled = await rejection(runtime('me-central-1', 'sdk-default').send(new ConverseCommand({ modelId: 'x', messages: hello })));
    expect(disabled.name).toBe('UnrecognizedClientException');
  });

  it('rejects a malformed JSON body with 400', async () => {
    const response = await fetch(`${emulator().url}/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse`, {
      method: 'POST',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/bedrock/aws4_request, Signature=x' },
      body: '{"messages": [',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^SerializationException:/);
  });

  it('streams token by token over HTTP/2 with the configured timing', async () => {
    emulator().setScenario(parseScenario({ timeToFirstTokenMs: { '*': 150 }, perTokenMs: { '*': 20 } }));
    const started = performance.now();
    const response = await runtime('eu-west-1').send(
      new ConverseStreamCommand({ modelId: 'eu.amazon.nova-2-lite-v1:0', messages: hello, inferenceConfig: { maxTokens: 12 } }),
    );
    const arrivals: number[] = [];
    let text = '';
    const kinds: string[] = [];
    for await (const event of response.stream!) {
      kinds.push(Object.keys(event)[0] ?? '(no event)');
      if (event.contentBlockDelta) {
        arrivals.push(performance.now());
        text += event.contentBlockDelta.delta!.text;
      }
      if (event.metadata) expect(event.metadata.usage!.outputTokens).toBe(12);
    }
    expect(kinds[0]).toBe('messageStart');
    expect(kinds).not.toContain('contentBlockStart');
    expect(kinds.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    expect(arrivals).toHaveLength(12);
    expect(text.split(' ')).toHaveLength(12);
    // The emulator shares this clock and holds token i until 150 + 20 i ms after the request arrived: none is early.
    arrivals.forEach((arrival, index) => expect(arrival - started).toBeGreaterThanOrEqual(150 + 20 * index));
  });

  it('delivers earlier tokens before a mid-stream exception', async () => {
    emulator().setScenario(parseScenario({ midStreamErrors: [{ afterTokens: 4, exception: 'throttlingException' }] }));
    const response = await runtime('us-west-2').send(new ConverseStreamCommand({ modelId: 'us.amazon.nova-2-lite-v1:0', messages: hello }));
    const deltas: string[] = [];
    const failure = await rejection(
      (async () => {
        for await (const event of response.stream!) if (event.contentBlockDelta) deltas.push(event.contentBlockDelta.delta!.text!);
      })(),
    );
    expect(deltas).toHaveLength(4);
    expect(failure.name).toBe('ThrottlingException');
  });
});

describe('faults', () => {
  it('throttles the first N calls of one region and operation, then lets calls through', async () => {
    emulator().setScenario(parseScenario({ throttle: [{ region: 'eu-west-1', operation: 'ListFoundationModels', firstN: 2 }] }));
    const client = control('eu-west-1');
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await rejection(client.send(new ListFoundationModelsCommand({})));
      expect([error.name, error.message, error.$metadata?.httpStatusCode]).toEqual([
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
        429,
      ]);
    }
    await expect(client.send(new ListFoundationModelsCommand({}))).resolves.toBeDefined();
    await expect(control('eu-west-2').send(new ListFoundationModelsCommand({}))).resolves.toBeDefined();
  });

  it('throttles above a rate', async () => {
    emulator().setScenario(parseScenario({ throttle: [{ region: 'us-east-2', ratePerSecond: 3 }] }));
    const client = control('us-east-2');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.send(new ListFoundationModelsCommand({}))));
    const throttled = results.filter((result) => result.status === 'rejected');
    expect(throttled.length).toBeGreaterThanOrEqual(4);
    expect(results.filter((result) => result.status === 'fulfilled').length).toBeGreaterThanOrEqual(3);
  });

  it('injects 500 and 503 answers, and the SDK retries them', async () => {
    emulator().setScenario(
      parseScenario({
        failures: [
          { region: 'eu-central-1', operation: 'ListFoundationModels', status: 503, firstN: 1 },
          { region: 'eu-north-1', status: 500, firstN: 5 },
        ],
      }),
    );
    const retried = await control('eu-central-1', { maxAttempts: 3 }).send(new ListFoundationModelsCommand({}));
    expect(retried.modelSummaries!.length).toBeGreaterThan(0);
    const failed = await rejection(control('eu-north-1').send(new ListFoundationModelsCommand({})));
    expect([failed.name, failed.$metadata?.httpStatusCode]).toEqual(['InternalServerException', 500]);
    expect(emulator().stats().requests['eu-central-1']?.ListFoundationModels).toBe(2);
  });

  it('hangs a region until the client gives up', async () => {
    emulator().setScenario(parseScenario({ hang: ['ap-southeast-2'] }));
    const client = control('ap-southeast-2');
    const started = performance.now();
    const error = await rejection(client.send(new ListFoundationModelsCommand({}), { abortSignal: AbortSignal.timeout(300) }));
    expect(error.name).toMatch(/AbortError|TimeoutError/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('marks extra regions as not enabled', async () => {
    emulator().setScenario(parseScenario({ notEnabled: ['sa-east-1'] }));
    const error = await rejection(control('sa-east-1').send(new ListInferenceProfilesCommand({})));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['UnrecognizedClientException', 403]);
  });

  it('adds per-region control-plane latency', async () => {
    emulator().setScenario(parseScenario({ controlPlaneLatencyMs: { 'ap-northeast-1': 1_000, '*': 0 } }));
    // Sent together: the region without latency answers while the other is held a second.
    const finished: string[] = [];
    const started = performance.now();
    const slow = control('ap-northeast-1').send(new ListFoundationModelsCommand({})).then(() => finished.push('ap-northeast-1'));
    await control('us-east-1').send(new ListFoundationModelsCommand({}));
    finished.push('us-east-1');
    await slow;
    expect(finished).toEqual(['us-east-1', 'ap-northeast-1']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('counts connections: keep-alive clients reuse one per region', async () => {
    const client = control('us-west-2', { requestHandler: pooledHandler('http1') });
    for (let call = 0; call < 10; call++) await client.send(new ListFoundationModelsCommand({}));
    // The runtime client's default HTTP/2 handler isolates every request in its own session; sharing one
    // session needs `disableConcurrentStreams: false`.
    const pooled = runtime('us-west-2', 'h2c');
    for (let call = 0; call < 5; call++) await pooled.send(new ConverseCommand({ modelId: 'us.amazon.nova-2-lite-v1:0', messages: hello }));
    let stats = emulator().stats();
    expect(stats.requests['us-west-2']).toEqual({ ListFoundationModels: 10, Converse: 5 });
    expect(stats.connections['us-west-2']).toBe(2);

    const isolated = runtime('us-west-1', 'sdk-default');
    for (let call = 0; call < 3; call++) await isolated.send(new ConverseCommand({ modelId: 'us.amazon.nova-2-lite-v1:0', messages: hello }));
    stats = emulator().stats();
    expect(stats.connections['us-west-1']).toBe(3);
  });
});
