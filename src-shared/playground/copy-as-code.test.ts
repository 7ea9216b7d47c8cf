import { describe, expect, it } from 'vitest';
import { callAsCode, type CallToCopy } from './copy-as-code';

const call: CallToCopy = {
  invokeId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  region: 'us-east-2',
  streaming: true,
  input: {
    system: "Answer in one line, don't ramble.",
    messages: [
      { role: 'user', content: [{ text: 'What is in it?' }, { image: { format: 'png', bytesBase64: 'iVBORw0KGgo=' } }] },
    ],
    inferenceConfig: { maxTokens: 256, temperature: 0.2, stopSequences: ['END'] },
    latency: 'optimized',
    serviceTier: 'priority',
  },
};

describe('copy as code', () => {
  it('AWS CLI: converse with the exact id and region, JSON quoted for the shell', () => {
    const code = callAsCode('aws-cli', call);
    expect(code).toContain('aws bedrock-runtime converse \\\n  --region us-east-2 \\\n  --model-id \'us.anthropic.claude-haiku-4-5-20251001-v1:0\'');
    expect(code).toContain(`--system '[{"text":"Answer in one line, don'\\''t ramble."}]'`);
    expect(code).toContain(`--inference-config '{"maxTokens":256,"temperature":0.2,"stopSequences":["END"]}'`);
    expect(code).toContain(`--performance-config '{"latency":"optimized"}'`);
    expect(code).toContain(`--service-tier '{"type":"priority"}'`);
    expect(code).toContain('"bytes":"<base64 of image-1>"');
    expect(code.trimEnd().endsWith('\\')).toBe(false);
  });

  it('TypeScript: ConverseStreamCommand through a client of the calling region, images read from files', () => {
    const code = callAsCode('typescript', call);
    expect(code).toContain("new BedrockRuntimeClient({ region: 'us-east-2' })");
    expect(code).toContain('new ConverseStreamCommand({\n  "modelId": "us.anthropic.claude-haiku-4-5-20251001-v1:0"');
    expect(code).toContain('"bytes": readFileSync(\'image-1.png\')');
    expect(code).toContain("import { readFileSync } from 'node:fs';");
    expect(code).toContain('"serviceTier": {\n    "type": "priority"\n  }');
  });

  it('Python: converse_stream with Python literals', () => {
    const code = callAsCode('python', call);
    expect(code).toContain('client = boto3.client("bedrock-runtime", region_name="us-east-2")');
    expect(code).toContain('response = client.converse_stream(\n    modelId="us.anthropic.claude-haiku-4-5-20251001-v1:0",');
    expect(code).toContain('"bytes": open("image-1.png", "rb").read()');
    expect(code).toContain('performanceConfig={\n        "latency": "optimized",\n    },');
  });

  it('a model without streaming is called with Converse in every language', () => {
    const plain = { ...call, streaming: false, input: { messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }] } };
    expect(callAsCode('typescript', plain)).toContain('new ConverseCommand(');
    expect(callAsCode('python', plain)).toContain('client.converse(');
    expect(callAsCode('aws-cli', plain)).not.toContain('--system');
  });
});
