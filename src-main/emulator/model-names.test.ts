import { describe, expect, it } from 'vitest';
import { nameFromModelId } from './bedrock-data';

describe('names derived from model ids', () => {
  it.each([
    ['anthropic.claude-haiku-4-5-20251001-v1:0', 'Claude Haiku 4.5'],
    ['anthropic.claude-opus-4-7', 'Claude Opus 4.7'],
    ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'Claude 3.5 Sonnet'],
    ['amazon.nova-2-lite-v1:0', 'Nova 2 Lite'],
    ['anthropic.claude-opus-5', 'Claude Opus 5'],
    ['meta.llama3-1-8b-instruct-v1:0', 'Llama3 1 8b Instruct'],
    ['openai.gpt-5.6-luna', 'Gpt 5.6 Luna'],
    ['openai.gpt-5.4-2026-03-05', 'Gpt 5.4 2026-03-05'],
  ])('%s reads "%s"', (modelId, name) => {
    expect(nameFromModelId(modelId)).toBe(name);
  });
});
