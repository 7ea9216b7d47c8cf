import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, readScenarioFile, ScenarioError } from './scenario';

const refusal = (input: unknown) => {
  try {
    parseScenario(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be refused');
};

describe('scenario validation names the bad field', () => {
  it('takes fixed delays and median/spread distributions, and refuses anything else', () => {
    const scenario = parseScenario({
      timeToFirstTokenMs: { '*': 400, 'eu-west-1': { medianMs: 420, spreadMs: 80 } },
      perTokenMs: { '*': { medianMs: 18 } },
      connectionSetupMs: { 'ap-southeast-2': 410 },
    });
    expect(scenario.perTokenMs['*']).toEqual({ medianMs: 18, spreadMs: 0 });
    expect(refusal({ timeToFirstTokenMs: { 'eu-west-1': { medianMs: -1, spreadMs: 5 } } })).toMatch(/timeToFirstTokenMs\.eu-west-1/);
    expect(refusal({ perTokenMs: { '*': { median: 18 } } })).toMatch(/perTokenMs\.\*/);
    expect(refusal({ connectionSetupMs: { 'us-east-1': 'fast' } })).toMatch(/connectionSetupMs\.us-east-1/);
    expect(refusal({ controlPlaneLatencyMs: { '*': 700_000 } })).toMatch(/controlPlaneLatencyMs\.\*/);
  });

  it('needs exactly one throttle mode, and a positive requestsPerMinute', () => {
    expect(parseScenario({ throttle: [{ modelId: 'amazon.nova-lite-v1:0', requestsPerMinute: 60 }] }).throttle[0]).toMatchObject({
      region: '*',
      operation: '*',
      requestsPerMinute: 60,
    });
    expect(refusal({ throttle: [{ firstN: 1, requestsPerMinute: 5 }] })).toMatch(
      /throttle\.0: a throttle rule needs exactly one of firstN, ratePerSecond or requestsPerMinute/,
    );
    expect(refusal({ throttle: [{ requestsPerMinute: 0 }] })).toMatch(/throttle\.0\.requestsPerMinute/);
    expect(refusal({ throttle: [{ firstN: 1, retryAfterSeconds: 1.5 }] })).toMatch(/throttle\.0\.retryAfterSeconds/);
    expect(refusal({ throttle: [{ firstN: 1, operation: 'InvokeModel' }] })).toMatch(/throttle\.0\.operation/);
  });

  it('checks mid-stream errors, network drops and optimized quotas', () => {
    expect(refusal({ midStreamErrors: [{ afterTokens: 2, exception: 'boomException' }] })).toMatch(/midStreamErrors\.0\.exception/);
    expect(refusal({ midStreamErrors: [{ afterTokens: 2, firstN: 1, probability: 0.5 }] })).toMatch(
      /midStreamErrors\.0: give at most one of firstN or probability/,
    );
    expect(refusal({ networkDrops: [{ region: 'eu-west-1' }] })).toMatch(/networkDrops\.0\.afterTokens/);
    expect(refusal({ networkDrops: [{ afterTokens: 1, probability: 2 }] })).toMatch(/networkDrops\.0\.probability/);
    expect(refusal({ optimizedQuota: [{ afterRequests: -1 }] })).toMatch(/optimizedQuota\.0\.afterRequests/);
    expect(refusal({ optimizedQuota: [{ afterRequests: 1, latency: 'fast' }] })).toMatch(/optimizedQuota\.0/);
    expect(refusal({ surprise: true })).toMatch(/surprise/);
  });

  it('says which file could not be read or parsed', () => {
    const folder = mkdtempSync(join(tmpdir(), 'scenario-'));
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '{"seed": ');
    expect(() => readScenarioFile(broken)).toThrow(new RegExp(`Scenario file ${broken} is not valid JSON`));
    expect(() => readScenarioFile(join(folder, 'missing.json'))).toThrow(/Cannot read scenario file .*missing\.json/);
  });
});
