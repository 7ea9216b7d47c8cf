import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issueLongTermKey, issueShortTermKey } from '../../emulator/api-keys';
import { ApiKeyFormatError, apiKeyRefusal, BedrockApiKeys, parseBedrockApiKey, type ApiKeyVault } from './bedrock-api-key';
import { redactSecrets } from './redact';

const vectors = JSON.parse(readFileSync(new URL('../identity/fixtures/short-term-key.test-vectors.json', import.meta.url), 'utf8')) as {
  vectors: { region: string; expiresSeconds: number; signedAt: string; token: string }[];
};

const b64 = (text: string) => Buffer.from(text).toString('base64');
const shortTermOf = (query: string) => `bedrock-api-key-${b64(`bedrock.amazonaws.com/?${query}&Version=1`)}`;
const reasonOf = (key: string) => {
  try {
    parseBedrockApiKey(key);
  } catch (error) {
    return error;
  }
  throw new Error('parsed');
};

describe('recognising Bedrock API keys from their documented format', () => {
  it.each(vectors.vectors)('reads region $region and the expiry from the generated short-term key', (vector) => {
    const parsed = parseBedrockApiKey(vector.token);
    expect(parsed).toEqual({
      kind: 'short-term',
      region: vector.region,
      signedAt: new Date(vector.signedAt),
      expiresAt: new Date(Date.parse(vector.signedAt) + vector.expiresSeconds * 1000),
    });
  });

  it('reads a long-term key as long-term with no region', () => {
    expect(parseBedrockApiKey(issueLongTermKey())).toEqual({ kind: 'long-term', region: null });
  });

  it('reads the keys the emulator issues the same way', () => {
    const signedAt = new Date('2026-03-04T05:06:07Z');
    expect(parseBedrockApiKey(issueShortTermKey({ region: 'eu-west-1', signedAt, expiresSeconds: 3600 }))).toMatchObject({
      region: 'eu-west-1',
      expiresAt: new Date('2026-03-04T06:06:07Z'),
    });
  });

  it.each([
    ['a text of neither shape', 'sk-not-a-bedrock-key', /starts with bedrock-api-key- \(short-term\) or ABSK/],
    ['a short-term prefix over text that is not base64', 'bedrock-api-key-%%%notbase64%%%', /must encode a presigned bedrock.amazonaws.com URL/],
    ['a short-term prefix over another URL', `bedrock-api-key-${b64('example.com/?a=b')}`, /must encode a presigned bedrock.amazonaws.com URL/],
    ['a long-term prefix over anything else', `ABSK${b64('hello world, not a key')}`, /must encode BedrockAPIKey-/],
    ['a short-term key with no credential', shortTermOf('X-Amz-Date=20260101T000000Z&X-Amz-Expires=900'), /no X-Amz-Credential, so it names no region/],
    [
      'a short-term key whose credential scope has no region',
      shortTermOf('X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2F%2Fbedrock%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900'),
      /names no region in its X-Amz-Credential scope/,
    ],
    [
      'a short-term key claiming more than 12 hours',
      shortTermOf('X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fbedrock%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=86400'),
      /1 to 43200 seconds \(12 h\)/,
    ],
  ])('refuses %s, naming why, without quoting the key', (_case, key, reason) => {
    const error = reasonOf(key) as ApiKeyFormatError;
    expect(error).toBeInstanceOf(ApiKeyFormatError);
    expect(error.code).toBe('ApiKeyMalformed');
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain(key);
  });
});

describe('what a key may call', () => {
  const now = new Date('2026-01-01T01:00:00Z');
  const active = (secret: string) => ({ source: 'environment' as const, secret, parsed: parseBedrockApiKey(secret), problem: null });
  const euKey = vectors.vectors.find((vector) => vector.region === 'eu-west-1')!.token;

  it('lets a short-term key call its own region before it expires, and no other', () => {
    expect(apiKeyRefusal(active(euKey), 'eu-west-1', now)).toBeNull();
    const refusal = apiKeyRefusal(active(euKey), 'us-east-1', now);
    expect(refusal?.code).toBe('ApiKeyRegion');
    expect(refusal?.message).toMatch(/^This short-term API key works only in eu-west-1: us-east-1 is not callable with this key/);
  });

  it('refuses an expired short-term key with its expiry, in every region', () => {
    const later = new Date('2026-01-01T12:00:00Z');
    for (const region of ['eu-west-1', 'us-east-1']) {
      const refusal = apiKeyRefusal(active(euKey), region, later);
      expect(refusal?.code).toBe('ApiKeyExpired');
      expect(refusal?.message).toContain('expired at 2026-01-01T12:00:00.000Z');
    }
  });

  it('lets a long-term key call every region', () => {
    expect(apiKeyRefusal(active(issueLongTermKey()), 'ap-south-1', now)).toBeNull();
  });
});

describe('the key in force', () => {
  const memoryVault = (initial: string | null = null): ApiKeyVault & { value: string | null } => {
    const vault = {
      value: initial,
      get: async () => vault.value,
      set: async (key: string) => void (vault.value = key),
      clear: async () => void (vault.value = null),
    };
    return vault;
  };

  it('prefers AWS_BEARER_TOKEN_BEDROCK to the stored key', async () => {
    const keys = new BedrockApiKeys(vectors.vectors[0]!.token, memoryVault(issueLongTermKey()));
    await keys.ready();
    expect(keys.current()).toMatchObject({ source: 'environment', parsed: { kind: 'short-term' } });
  });

  it('stores a valid key and refuses a malformed one without storing it', async () => {
    const vault = memoryVault();
    const keys = new BedrockApiKeys(null, vault);
    await expect(keys.set('not-a-key')).rejects.toThrow(ApiKeyFormatError);
    expect(vault.value).toBeNull();
    const key = issueLongTermKey();
    await keys.set(`  ${key}\n`);
    expect(vault.value).toBe(key);
    expect(keys.current()).toMatchObject({ source: 'vault', secret: key });
    await keys.clear();
    expect(keys.current()).toBeNull();
    expect(vault.value).toBeNull();
  });

  it('without a vault, says the environment variable is the only way', async () => {
    await expect(new BedrockApiKeys(null, null).set(issueLongTermKey())).rejects.toThrow(/browser host accepts the environment variable only/);
  });

  it('is redacted by its own value and by its shape', () => {
    for (const key of [vectors.vectors[1]!.token, issueLongTermKey()]) {
      expect(redactSecrets(`bad key ${key}!`, [])).toBe('bad key [redacted]!');
      expect(redactSecrets(`bad key ${key}!`, new BedrockApiKeys(key, null).secrets())).toBe('bad key [redacted]!');
    }
  });
});
