import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../emulator/scenario';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { freshHomeEnv, runCli } from '../testing/run-cli';
import { estimatedCostWords } from '../actions/latency';
import { perMillionText, priceTableLine } from '../actions/prices';

/** `bedrock-atlas prices` and `where --prices` as a user runs them: a child process in a HOME of its own, against the emulator. */

const emulator = emulatorPerFile();
const SONNET_4 = 'anthropic.claude-sonnet-4-20250514-v1:0';

const cli = (...args: string[]) =>
  runCli([...args, '--endpoint-url', emulator.url, '--regions', 'us-east-1,eu-west-1', '--cache-mode', 'none'], {
    env: { ...freshHomeEnv(), AWS_ACCESS_KEY_ID: 'AKIACLIPRICES0000001', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: undefined, AWS_BEARER_TOKEN_BEDROCK: undefined },
  });
const rowOf = (stdout: string, ...cells: string[]) => stdout.split('\n').find((line) => cells.every((cell) => line.split(/\s{2,}/).includes(cell)));

describe('bedrock-atlas prices', () => {
  it('prints the table’s date first, then each route of the model with its prices per million tokens, "unknown" where there is none', async () => {
    const run = await cli('prices', '--target', 'claude sonnet 4');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Prices as of 2026-01-19 (fetched from the Price List API now, from the emulator), USD per million tokens, list prices before any discount.');
    expect(lines).toContain(`${SONNET_4}:`);
    expect(rowOf(run.stdout, 'us-east-1', 'global profile', `global.${SONNET_4}`, 'standard')).toMatch(/\$3\.00\s+\$15\.00\s+\$0\.30\s+\$3\.75$/);
    // The batch tier lists only an input price: the rest is unknown, never $0.
    expect(rowOf(run.stdout, 'us-east-1', 'global profile', `global.${SONNET_4}`, 'batch')).toMatch(/\$1\.50\s+unknown\s+unknown\s+unknown$/);
    expect(run.stdout).not.toMatch(/\$0\.00\b/);
  }, 60_000);

  it('--json prints the table, the rows and the routes; the date goes to stderr as well', async () => {
    const run = await cli('prices', '--target', SONNET_4, '--json');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.table).toMatchObject({ asOf: '2026-01-19T13:42:01Z', source: 'api', origin: 'the emulator' });
    expect(answer.modelId).toBe(SONNET_4);
    expect(answer.routes).toContainEqual({
      region: 'us-east-1',
      invokeId: `global.${SONNET_4}`,
      kind: 'global-profile',
      prices: [
        { tier: 'standard', perMillion: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } },
        { tier: 'batch', perMillion: { input: 1.5, output: null, cacheRead: null, cacheWrite: null } },
      ],
    });
    expect(run.stderr).toMatch(/Prices as of 2026-01-19/);
  }, 60_000);

  it('when the Price List is denied, answers from the bundled table and says so, with its date', async () => {
    emulator.setScenario(parseScenario({ pricing: { denied: true } }));
    const run = await cli('prices', '--target', 'claude 3 haiku');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: The Price List API could not be read \(.*not authorized to perform: pricing:GetProducts.*\); prices come from the bundled table of 2026-01-19\./);
    expect(run.stdout.split('\n')[0]).toMatch(/^Prices as of 2026-01-19 \(the bundled table, from the emulator\)/);
  }, 60_000);

  it('exits 2 for a target that is no model', async () => {
    const run = await cli('prices', '--target', 'no such model anywhere');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No model matches "no such model anywhere" in the catalog/);
  }, 60_000);
});

describe('bedrock-atlas where --prices', () => {
  it('adds the price of every route it shows, with the table’s date', async () => {
    const run = await cli('where', 'claude 3 haiku', '--prices');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Prices as of 2026-01-19 \(fetched from the Price List API now, from the emulator\)/m);
    expect(rowOf(run.stdout, 'us-east-1', 'on demand', 'anthropic.claude-3-haiku-20240307-v1:0', 'standard')).toMatch(/\$0\.25\s+\$1\.25/);
  }, 60_000);

  it('--json carries the prices beside the regions', async () => {
    const run = await cli('where', SONNET_4, '--prices', '--json');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.prices.table).toMatchObject({ asOf: '2026-01-19T13:42:01Z' });
    expect(answer.prices.prices.every((row: { modelId: string }) => row.modelId === SONNET_4)).toBe(true);
  }, 60_000);
});

describe('how prices and costs read', () => {
  const table = { asOf: '2026-01-19T13:42:01Z', fetchedAt: '2026-01-20T08:00:00Z', source: 'cache' as const, origin: 'AWS Price List API', products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } };

  it('prints a price per million tokens to its last digit, and an unknown one as "unknown"', () => {
    expect([3, 0.3, 0.049, 1.4875, 15, null].map(perMillionText)).toEqual(['$3.00', '$0.30', '$0.049', '$1.4875', '$15.00', 'unknown']);
  });

  it('dates every table, and says when there is none', () => {
    expect(priceTableLine(table)).toBe('Prices as of 2026-01-19 (the cached table fetched 2026-01-20, from AWS Price List API), USD per million tokens, list prices before any discount.');
    expect(priceTableLine({ ...table, asOf: null, fetchedAt: null, source: 'none', origin: null })).toBe('Prices: no price table is at hand, so every price is unknown.');
  });

  it('puts the estimated dollars in the latency plan and confirmation lines, or what price is unknown', () => {
    expect(estimatedCostWords({ estimatedCostUsd: 1.4, routeCosts: {}, priceTable: table })).toBe('up to about $1.40 at list prices (the cached price table of 2026-01-19)');
    expect(estimatedCostWords({ estimatedCostUsd: 0.00042, routeCosts: {}, priceTable: { ...table, source: 'bundled' } })).toBe('up to about $0.00042 at list prices (the bundled price table of 2026-01-19)');
    expect(estimatedCostWords({ estimatedCostUsd: null, routeCosts: { 'us-east-1': { usd: null, unknown: 'the price table of 2026-01-19 has no price for m on demand from us-east-1' } }, priceTable: table })).toBe(
      'cost unknown: the price table of 2026-01-19 has no price for m on demand from us-east-1',
    );
  });
});
