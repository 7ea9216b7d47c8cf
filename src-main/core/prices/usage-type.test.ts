import { describe, expect, it } from 'vitest';
import { shiftDecimal } from './unit-price';
import { readUsageType } from './usage-type';

const priced = (usageType: string) => {
  const reading = readUsageType(usageType);
  return reading.kind === 'token-price' ? [reading.tokenKind, reading.routeKind, reading.tier, reading.modelToken] : reading.reason;
};

describe('usage types of the real price documents', () => {
  it('reads direction, route and tier of the first-party grammar, in any order of its variants', () => {
    expect(priced('USE1-Claude4Sonnet-cache-write-input-token-count-cross-region-global')).toEqual(['cacheWrite', 'global', 'standard', 'Claude4Sonnet']);
    expect(priced('MEC1-NovaLite-cache-read-input-token-count')).toEqual(['cacheRead', 'in-region', 'standard', 'NovaLite']);
    expect(priced('EUS1-Ministral-3-14b-Instruct-input-tokens-batch')).toEqual(['input', 'in-region', 'batch', 'Ministral-3-14b-Instruct']);
    expect(priced('CAN2-Nova2.0Lite-cache-read-input-token-count-priority-cross-region-global')).toEqual(['cacheRead', 'global', 'priority', 'Nova2.0Lite']);
    expect(priced('USE1-Claude4Sonnet-input-tokens-cross-region-global-batch')).toEqual(['input', 'global', 'batch', 'Claude4Sonnet']);
    expect(priced('EU-Nova2.0Pro-text-input-tokens-cross-region-global')).toEqual(['input', 'global', 'standard', 'Nova2.0Pro']);
    expect(priced('USE2-Claude3-5Haiku-output-tokens-latency-optimized')).toEqual(['output', 'in-region', 'latency-optimized', 'Claude3-5Haiku']);
    expect(priced('USE1-Model-input-tokens-cross-region-geo')).toEqual(['input', 'geo', 'standard', 'Model']);
  });

  it('reads the Marketplace grammar: component, _Global, _Batch, and MillionBatchInputTokens as batch input', () => {
    expect(priced('APN2-MP:APN2_InputTokenCount_Global-Units')).toEqual(['input', 'global', 'standard', null]);
    expect(priced('EUN1-MP:EUN1_OutputTokenCount_Global_Batch-Units')).toEqual(['output', 'global', 'batch', null]);
    expect(priced('MES1-MP:MES1_CacheReadInputTokenCount_Global-Units')).toEqual(['cacheRead', 'global', 'standard', null]);
    expect(priced('APN1-MP:APN1_MillionBatchInputTokens-Units')).toEqual(['input', 'in-region', 'batch', null]);
    expect(priced('EUS2-MP:EUS2_OutputTokenCount-Units')).toEqual(['output', 'in-region', 'standard', null]);
  });

  it('keeps out what is not a per-token text price, saying why, and any variant it does not know', () => {
    expect(priced('APS6-MP:APS6_CacheReadInputTokenCount_LCtx-Units')).toBe('long context');
    expect(priced('APN1-Claude4Sonnet-output-tokens-long-context-cross-region-global')).toBe('long context');
    expect(priced('CAN1-MP:CAN1_CacheWrite1hInputTokenCount_Global-Units')).toBe('1-hour cache write');
    expect(priced('APN3-MP:APN3_Reserved_1Month_OutputTPM_Geo-Units')).toBe('reserved capacity');
    expect(priced('USE1-Claude4.5Sonnet-reserved-3-month-input-tokens-per-minute-cross-region-geo')).toBe('reserved capacity');
    expect(priced('USW2-MP:USW2_ProvisionedThroughput_6MonthsCommit_ModelUnits_Usage-Units')).toBe('provisioned throughput');
    expect(priced('USW2-TitanImageGeneratorV2-ProvisionedThroughput-6months-ModelUnits')).toBe('provisioned throughput');
    expect(priced('EUW3-Nova2.0Pro-input-video-token-count-priority-cross-region-global')).toBe('image, video or audio tokens');
    expect(priced('EUS2-Guardrail-ContentPolicyUnitsConsumed')).toBe('not a token price');
    expect(priced('USE1-Model-mantle-input-tokens-priority-turbo')).toBe('unknown usage-type variant "turbo"');
    expect(priced('USE1-MP:USE1_InputTokenCount_Turbo-Units')).toBe('unknown usage-type variant "Turbo"');
    expect(priced('')).toBe('not a token price');
  });
});

describe('exact decimal conversion', () => {
  it('moves the decimal point instead of multiplying floats', () => {
    expect(shiftDecimal('0.0030000000', 3)).toBe(3);
    expect(shiftDecimal('0.0000490000', 3)).toBe(0.049);
    expect(shiftDecimal('0.0014875000', 3)).toBe(1.4875);
    expect(shiftDecimal('1.1000000000', 0)).toBe(1.1);
    expect(shiftDecimal('13', 6)).toBe(13_000_000);
    // Nova Lite's real cache-read price in me-central-1: a float product would say 0.015000000000000001.
    expect(shiftDecimal('0.0000150000', 3)).toBe(0.015);
    expect(0.000015 * 1000).not.toBe(0.015);
  });
});
