import { describe, expect, it } from 'vitest';
import type { Conversation, ConverseResult } from '../contract/playground';
import { conversationAsJson, conversationAsMarkdown } from './export-conversation';

const result: ConverseResult = {
  text: 'Blue light scatters more.',
  stopReason: 'end_turn',
  usage: { inputTokens: 12, outputTokens: 6, totalTokens: 18, cacheReadInputTokens: 4 },
  metrics: { ttftMs: 312, e2eMs: 420, outputTokensPerSecond: 46.3, serverLatencyMs: 400 },
  route: { invokeId: 'us.amazon.nova-pro-v1:0', callRegion: 'us-east-1', kind: 'geo-profile' },
  served: { latency: 'standard' },
  api: 'ConverseStream',
};

const conversation: Conversation = {
  id: '7d9f2c1e-0d6b-4f7a-9a59-2f0f3a7b8c11',
  title: 'Why is the sky blue?',
  createdAt: '2026-11-23T01:00:00.000Z',
  updatedAt: '2026-11-23T01:05:00.000Z',
  system: 'Be brief.',
  panes: [
    {
      target: 'amazon.nova-pro-v1:0',
      region: 'us-east-1',
      latency: 'optimized',
      inferenceConfig: { maxTokens: 100 },
      turns: [
        { role: 'user', content: [{ text: 'Why is the sky blue?' }, { image: { format: 'png', bytesBase64: 'iVBORw0KGgo=' } }] },
        { role: 'assistant', content: [{ text: 'Blue light scatters more.' }], result },
      ],
    },
    {
      target: 'anthropic.claude-3-haiku-20240307-v1:0',
      region: 'eu-west-1',
      turns: [
        { role: 'user', content: [{ text: 'Why is the sky blue?' }] },
        { role: 'assistant', content: [{ text: 'Ray' }], error: { name: 'ThrottlingException', code: 'THROTTLED', message: 'Bedrock throttled it.' } },
      ],
    },
  ],
};

describe('exporting a conversation', () => {
  it('JSON is the stored document, whole', () => {
    expect(JSON.parse(conversationAsJson(conversation))).toEqual(conversation);
  });

  it('Markdown has every pane, turn, figure, the served mode that differed, and the failure', () => {
    const markdown = conversationAsMarkdown(conversation);
    expect(markdown).toMatch(/^# Why is the sky blue\?\n/);
    expect(markdown).toContain('> Be brief.');
    expect(markdown).toContain('## Pane 1: amazon.nova-pro-v1:0 from us-east-1');
    expect(markdown).toContain('*maxTokens 100 · latency optimized*');
    expect(markdown).toContain('[image: png]');
    expect(markdown).toContain('TTFT 312 ms · E2E 420 ms · 46.3 tok/s · in 12 / out 6 tokens, cache read 4');
    expect(markdown).toContain('NOTE asked optimized latency, served standard');
    expect(markdown).toContain('## Pane 2: anthropic.claude-3-haiku-20240307-v1:0 from eu-west-1');
    expect(markdown).toContain('**ThrottlingException:** Bedrock throttled it.');
  });
});
