import { describe, expect, it } from 'vitest';
import bundled from '../../bundled/bedrock_catalog_bundled.json';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { inGeographicOrder } from '../../src-shared/regions';
import { callableRegions, DEFAULT_OPTIONS, describeTarget, offersOptimized, presetRegions, runInput, type RunOptions } from './run-options';

// The renderer reads no files: the bundled catalog comes in as a module.
const document = bundled as CatalogDocument;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const options = (patch: Partial<RunOptions> = {}): RunOptions => ({ ...DEFAULT_OPTIONS, target: HAIKU, regions: ['us-east-1'], ...patch });

describe('the Latency form: targets, region presets and the run input', () => {
  it('names a target found by forgiving name, model id or profile id, and nothing for an unknown one', () => {
    expect(describeTarget(document, 'claude 3 haiku')).toMatchObject({ modelId: HAIKU, id: HAIKU });
    expect(describeTarget(document, `us.${HAIKU_45}`)).toMatchObject({ modelId: HAIKU_45, id: `us.${HAIKU_45}` });
    expect(describeTarget(document, 'no such model anywhere')).toBeNull();
    expect(describeTarget(document, '  ')).toBeNull();
  });

  it('“where it’s callable” includes regions served only through a profile, and none for an unknown target', () => {
    const callable = callableRegions(document, HAIKU_45);
    expect(callable).toContain('us-east-1');
    expect(document.models[HAIKU_45]?.regions['us-east-1']?.onDemand).toBe(false);
    expect(callableRegions(document, 'no such model anywhere')).toEqual([]);
  });

  it('a geography preset keeps the callable regions of that geography; “all” is every region of the catalog', () => {
    const europe = presetRegions(document, HAIKU, 'Europe');
    expect(europe.length).toBeGreaterThan(0);
    expect(europe.every((region) => region.startsWith('eu-'))).toBe(true);
    expect(europe).toEqual(europe.filter((region) => callableRegions(document, HAIKU).includes(region)));
    expect(presetRegions(document, HAIKU, 'all')).toEqual(inGeographicOrder(Object.keys(document.regions)));
  });

  it('keeps the geographic order whatever order a refresh stored the regions in (issue 21 §14)', () => {
    const keys = Object.keys(document.regions);
    const refreshed = { ...document, regions: Object.fromEntries([...keys].reverse().map((region) => [region, document.regions[region]!])) };
    expect(Object.keys(refreshed.regions)[0]).not.toBe('us-east-1');
    expect(presetRegions(refreshed, HAIKU, 'all')[0]).toBe('us-east-1');
    expect(presetRegions(refreshed, HAIKU, 'all')).toEqual(presetRegions(document, HAIKU, 'all'));
    expect(presetRegions(refreshed, HAIKU, 'callable')).toEqual(presetRegions(document, HAIKU, 'callable'));
    expect(inGeographicOrder(['me-south-1', 'me-central-1', 'zz-test-1', 'us-east-1'])).toEqual(['us-east-1', 'me-central-1', 'me-south-1', 'zz-test-1']);
  });

  it('offers optimized latency only for models that have it', () => {
    expect(offersOptimized(document, HAIKU)).toBe(false);
    expect(offersOptimized(document, 'anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(true);
  });

  it('refuses out-of-range values before anything is sent, naming the field', () => {
    expect(runInput(options({ runs: 0 }))).toEqual({ ok: false, message: 'runs must be between 1 and 1000' });
    expect(runInput(options({ runs: 1001 }))).toEqual({ ok: false, message: 'runs must be between 1 and 1000' });
    expect(runInput(options({ concurrency: 33 }))).toEqual({ ok: false, message: 'concurrency must be between 1 and 32' });
    expect(runInput(options({ maxTokens: Number.NaN }))).toMatchObject({ ok: false, message: expect.stringMatching(/^maxTokens: /) });
    expect(runInput(options({ regions: [] }))).toEqual({ ok: false, message: 'Choose at least one region (or a preset).' });
    expect(runInput(options({ target: ' ' }))).toMatchObject({ ok: false, message: 'target: A model id or name is required' });
  });

  it('builds the contract’s input, confirmed only when the user confirmed', () => {
    const built = runInput(options({ compareRoutes: true }));
    expect(built).toEqual({ ok: true, input: { target: HAIKU, regions: ['us-east-1'], runs: 10, concurrency: 2, promptSize: 'small', maxTokens: 128, latency: 'standard', autoProfile: true, compareRoutes: true, confirmed: false } });
    expect(runInput(options(), true)).toMatchObject({ ok: true, input: { confirmed: true } });
  });
});
