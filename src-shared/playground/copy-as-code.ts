import type { ConverseInput } from '../contract/playground';

/**
 * "Copy as code": the exact call a pane makes, with the id it invokes and the region whose endpoint it calls
 * (after pre-flight, so an auto-routed call shows the profile), as the AWS CLI, TypeScript (SDK v3) and Python
 * (boto3) would make it. Images are read from files named image-1.png… rather than pasted as base64.
 */

export const CODE_LANGUAGES = ['aws-cli', 'typescript', 'python'] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];
export const CODE_LANGUAGE_LABEL: Record<CodeLanguage, string> = { 'aws-cli': 'AWS CLI', typescript: 'TypeScript (SDK v3)', python: 'Python (boto3)' };

export interface CallToCopy {
  input: Pick<ConverseInput, 'messages' | 'system' | 'inferenceConfig' | 'latency' | 'serviceTier'>;
  invokeId: string;
  region: string;
  /** false for a model without streaming: Converse instead of ConverseStream. */
  streaming: boolean;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The request body's fields as the API names them, images replaced by a marker that each language renders. */
function requestFields(call: CallToCopy, image: (index: number, format: string) => Json): Record<string, Json> {
  let imageIndex = 0;
  const { input } = call;
  const messages = input.messages.map((message) => ({
    role: message.role,
    content: message.content.map((block): Json => ('text' in block ? { text: block.text } : { image: { format: block.image.format, source: { bytes: image(++imageIndex, block.image.format) } } })),
  }));
  const inference = Object.fromEntries(Object.entries(input.inferenceConfig ?? {}).filter(([, value]) => value !== undefined)) as Record<string, Json>;
  return {
    messages,
    ...(input.system ? { system: [{ text: input.system }] } : {}),
    ...(Object.keys(inference).length > 0 ? { inferenceConfig: inference } : {}),
    ...(input.latency ? { performanceConfig: { latency: input.latency } } : {}),
    ...(input.serviceTier ? { serviceTier: { type: input.serviceTier } } : {}),
  };
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const IMAGE_MARK = '\u0000image:';

function awsCli(call: CallToCopy): string {
  // The CLI has no event streams: `converse` answers whole. Blobs travel as base64 in the JSON.
  const fields = requestFields(call, (index) => `${IMAGE_MARK}${index}`);
  const flag = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const images = call.input.messages.flatMap((message) => message.content).filter((block) => 'image' in block);
  const lines = [
    ...(images.length > 0 ? [`# Put the base64 of each image where the JSON says <base64 of image-N> (in the order of the messages).`] : []),
    `aws bedrock-runtime converse \\`,
    `  --region ${call.region} \\`,
    `  --model-id ${shellQuote(call.invokeId)} \\`,
    ...Object.entries(fields).map(([name, value]) => `  --${flag(name)} ${shellQuote(JSON.stringify(value).replace(/"\\u0000image:(\d+)"/g, '"<base64 of image-$1>"'))} \\`),
  ];
  // The last line ends the command: no continuation after it.
  return lines.join('\n').replace(/ \\$/, '');
}

function typescript(call: CallToCopy): string {
  const marks = new Map<string, string>();
  const fields = requestFields(call, (index, format) => {
    const mark = `${IMAGE_MARK}${index}`;
    marks.set(mark, `readFileSync('image-${index}.${format}')`);
    return mark;
  });
  let body = JSON.stringify({ modelId: call.invokeId, ...fields }, null, 2);
  for (const [mark, code] of marks) body = body.replace(JSON.stringify(mark), code);
  const command = call.streaming ? 'ConverseStreamCommand' : 'ConverseCommand';
  return [
    `import { BedrockRuntimeClient, ${command} } from '@aws-sdk/client-bedrock-runtime';`,
    ...(marks.size > 0 ? [`import { readFileSync } from 'node:fs';`] : []),
    '',
    `const client = new BedrockRuntimeClient({ region: '${call.region}' });`,
    `const response = await client.send(new ${command}(${body}));`,
    ...(call.streaming
      ? [
          'for await (const event of response.stream ?? []) {',
          '  const text = event.contentBlockDelta?.delta?.text;',
          '  if (text) process.stdout.write(text);',
          '  if (event.metadata) console.error(event.metadata.usage, event.metadata.metrics, event.metadata.performanceConfig, event.metadata.serviceTier);',
          '}',
        ]
      : ['console.log(response.output?.message?.content?.map((block) => block.text).join(""));', 'console.error(response.usage, response.metrics);']),
  ].join('\n');
}

function pythonLiteral(value: Json, indent = ''): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.startsWith(IMAGE_MARK) ? value.slice(IMAGE_MARK.length) : JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[\n${value.map((item) => `${inner}${pythonLiteral(item, inner)}`).join(',\n')},\n${indent}]`;
  const entries = Object.entries(value);
  return entries.length === 0 ? '{}' : `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pythonLiteral(item, inner)}`).join(',\n')},\n${indent}}`;
}

function python(call: CallToCopy): string {
  const fields = requestFields(call, (index, format) => `${IMAGE_MARK}open("image-${index}.${format}", "rb").read()`);
  const method = call.streaming ? 'converse_stream' : 'converse';
  return [
    'import boto3',
    '',
    `client = boto3.client("bedrock-runtime", region_name=${JSON.stringify(call.region)})`,
    `response = client.${method}(`,
    `    modelId=${JSON.stringify(call.invokeId)},`,
    ...Object.entries(fields).map(([name, value]) => `    ${name}=${pythonLiteral(value, '    ')},`),
    ')',
    ...(call.streaming
      ? [
          'for event in response["stream"]:',
          '    if "contentBlockDelta" in event:',
          '        print(event["contentBlockDelta"]["delta"].get("text", ""), end="", flush=True)',
          '    elif "metadata" in event:',
          '        print("\\n", event["metadata"])',
        ]
      : ['print(response["output"]["message"]["content"][0]["text"])', 'print(response["usage"], response["metrics"])']),
  ].join('\n');
}

export function callAsCode(language: CodeLanguage, call: CallToCopy): string {
  return language === 'aws-cli' ? awsCli(call) : language === 'typescript' ? typescript(call) : python(call);
}
