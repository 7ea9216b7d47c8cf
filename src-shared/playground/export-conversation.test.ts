import { describe, expect, it } from 'vitest';
import type { Conversation, ConverseResult } from '../contract/playground';
import { codeBlock, conversationAsJson, conversationAsMarkdown } from './export-conversation';

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

  describe('Markdown that cannot inject', () => {
    const hostile = (text: string, title = 'Chat'): Conversation => ({
      ...conversation,
      title,
      system: undefined,
      panes: [{ target: 'amazon.nova-pro-v1:0', region: 'us-east-1', turns: [{ role: 'assistant', content: [{ text }], result }] }],
    });
    const body = (markdown: string) => markdown.split('**Model**')[1]?.split('<sub>')[0];

    it('writes HTML from a model as text: no <script>, no <img onerror>, no raw tags at all', () => {
      const markdown = body(conversationAsMarkdown(hostile('<script>alert(1)</script> and <img src=x onerror=alert(1)> & more')));
      expect(markdown).not.toMatch(/<script|<img/i);
      expect(markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt; &amp; more');
    });

    it('writes links from a model as text: no [text](javascript:…) and no <javascript:…> autolink', () => {
      const markdown = body(conversationAsMarkdown(hostile('[click](javascript:alert(1)) <javascript:alert(2)> ![x](http://evil/p.png)')));
      expect(markdown).not.toMatch(/(^|[^\\])\[click\]\(/);
      expect(markdown).toContain('\\[click\\](javascript:alert(1))');
      expect(markdown).toContain('&lt;javascript:alert(2)&gt;');
      expect(markdown).toContain('!\\[x\\](http://evil/p.png)');
    });

    it('shows ESC and other control characters as their pictures, and bidi overrides as escapes', () => {
      const markdown = body(conversationAsMarkdown(hostile('red \u001b[31mtext\u0007 \u202Egnp.exe')));
      // eslint-disable-next-line no-control-regex
      expect(markdown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
      // The stand-in for U+202E is the text `\u202E`, its backslash escaped for Markdown.
      expect(markdown).toContain('red ␛\\[31mtext␇ \\\\u202Egnp.exe');
    });

    it('keeps a title with line breaks on its one heading line', () => {
      const markdown = conversationAsMarkdown(hostile('Hi', 'Title\n# Injected heading\n<script>x</script>'));
      expect(markdown.split('\n')[0]).toBe('# Title # Injected heading &lt;script&gt;x&lt;/script&gt;');
      expect(markdown).not.toMatch(/^# Injected/m);
    });

    it('escapes Markdown structure that would start a line: headings, lists, quotes, tables', () => {
      const markdown = body(conversationAsMarkdown(hostile('# big\n- item\n> quote\n| a | b |\n1. one')));
      expect(markdown).toContain('\\# big\n\\- item\n&gt; quote\n\\| a \\| b \\|\n1\\. one');
    });

    it('fences code with more backticks than any run inside, so the code cannot close its block', () => {
      expect(codeBlock('a ```` b')).toBe('`````\na ```` b\n`````');
      const markdown = body(conversationAsMarkdown(hostile('Look:\n```js\nconst s = "````<script>";\n```\nDone.')));
      expect(markdown).toContain('`````js\nconst s = "````<script>";\n`````');
      expect(markdown).toContain('Look:');
      expect(markdown).toContain('Done.');
    });
  });
});
