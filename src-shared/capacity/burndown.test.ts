import { describe, expect, it } from 'vitest';
import { burndownFor, bundledBurndownTable, BurndownTableSchema } from './burndown';
import { bundledModelLimits, modelLimitsFor } from './model-limits';

/** The dated burndown table and the model limits table as the calculator reads them. */

const table = bundledBurndownTable();

describe('the token burndown table', () => {
  it('is dated, names AWS\'s page as its source and marks what comes from a third party', () => {
    expect(table.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.source).toBe('https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html');
    expect(table.entries.filter((entry) => entry.from === 'aws').map((entry) => entry.name)).toEqual(['Claude Opus 4', 'Claude Sonnet 4.5', 'Claude Sonnet 4', 'Claude 3.7 Sonnet']);
    expect(table.entries.filter((entry) => entry.from === 'third-party').map((entry) => entry.name)).toEqual(['Claude Haiku 4.5', 'Claude Sonnet 4.6', 'Claude Opus 4.1', 'Claude Opus 4.5', 'Claude Opus 4.6']);
    expect(table.entries.every((entry) => entry.rate === 5)).toBe(true);
  });

  it.each([
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5'],
    ['us.anthropic.claude-opus-4-20250514-v1:0', 'anthropic.claude-opus-4'],
    ['anthropic.claude-opus-4-1-20250805-v1:0', 'anthropic.claude-opus-4-1'],
    ['anthropic.claude-sonnet-4-20250514-v1:0', 'anthropic.claude-sonnet-4'],
    ['apac.anthropic.claude-3-7-sonnet-20250219-v1:0', 'anthropic.claude-3-7-sonnet'],
    ['anthropic.claude-haiku-4-5', 'anthropic.claude-haiku-4-5'],
    ['eu.anthropic.claude-sonnet-4-6', 'anthropic.claude-sonnet-4-6'],
    ['anthropic.claude-opus-4-6-v1', 'anthropic.claude-opus-4-6'],
  ])('%s burns output at 5x under the family %s', (id, family) => {
    const info = burndownFor(id, table);
    expect(info.rate).toBe(5);
    expect(info.matchedEntry).toMatch(new RegExp(`^${family.replaceAll('.', '\\.')} \\(`));
    expect(info).toMatchObject({ source: table.source, asOf: table.asOf });
  });

  it.each(['anthropic.claude-3-5-sonnet-20241022-v2:0', 'anthropic.claude-opus-4-7', 'anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-pro-v1:0', 'us.meta.llama3-3-70b-instruct-v1:0'])(
    '%s matches no entry and burns 1:1',
    (id) => {
      expect(burndownFor(id, table)).toMatchObject({ rate: 1, matchedEntry: null });
    },
  );

  it('says which entries are third-party in the entry it names', () => {
    expect(burndownFor('anthropic.claude-haiku-4-5-20251001-v1:0', table).matchedEntry).toContain('third-party: Kilo-Org/aws-bedrock-o11y');
    expect(burndownFor('anthropic.claude-opus-4-20250514-v1:0', table).matchedEntry).toContain('listed by AWS');
  });

  it('refuses a table that is not dated or has no source', () => {
    expect(BurndownTableSchema.safeParse({ ...table, asOf: 'recently' }).success).toBe(false);
    expect(BurndownTableSchema.safeParse({ ...table, source: undefined }).success).toBe(false);
  });
});

describe('the model limits table', () => {
  const limits = bundledModelLimits();

  it('gives a model its own output limit, a profile id its model\'s, and a context variant its base model\'s', () => {
    expect(modelLimitsFor('anthropic.claude-sonnet-4-5-20250929-v1:0', limits)).toMatchObject({ maxOutputTokens: 64_000, entry: 'anthropic.claude-sonnet-4-5-20250929-v1:0', asOf: limits.asOf });
    expect(modelLimitsFor('eu.anthropic.claude-opus-4-6-v1', limits)?.maxOutputTokens).toBe(128_000);
    expect(modelLimitsFor('anthropic.claude-3-haiku-20240307-v1:0:200k', limits)).toMatchObject({ maxOutputTokens: 4096, entry: 'anthropic.claude-3-haiku-20240307-v1:0' });
  });

  it('has no limit, rather than a guess, for a model it does not list', () => {
    expect(modelLimitsFor('google.gemma-4-31b', limits)).toBeNull();
    expect(modelLimitsFor('constructor', limits)).toBeNull();
  });
});
