import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CatalogDocument } from '../catalog/document';
import { planRoute } from './route-plan';

const document = JSON.parse(readFileSync(new URL('../../bundled/bedrock_catalog_bundled.json', import.meta.url), 'utf8')) as CatalogDocument;
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';

describe('the route plan shown before sending', () => {
  it('on demand: the bare id at the region’s own endpoint', () => {
    const plan = planRoute(document, 'anthropic.claude-3-haiku-20240307-v1:0', 'us-east-1', false);
    expect(plan).toMatchObject({ ok: true, lines: ['invoke anthropic.claude-3-haiku-20240307-v1:0', 'endpoint bedrock-runtime.us-east-1', 'on demand', 'served in us-east-1'] });
  });

  it('a geo profile: where it may serve the request from this region', () => {
    const plan = planRoute(document, `us.${HAIKU_45}`, 'us-east-1', false);
    expect(plan.ok && plan.lines[2]).toBe('geo profile');
    expect(plan.ok && plan.lines[3]).toMatch(/^may be served in us-east-1, .*us-west-2/);
  });

  it('a global profile: anywhere, whatever the API happened to list for this region', () => {
    const plan = planRoute(document, `global.${HAIKU_45}`, 'ap-northeast-1', false);
    expect(plan.ok && plan.lines[2]).toBe('global profile');
    expect(plan.ok && plan.lines[3]).toBe('may be served in any supported commercial region (global profile)');
  });

  it('a bare id that needs a profile: says why and offers the best one, geo before global', () => {
    const plan = planRoute(document, HAIKU_45, 'us-east-1', false);
    expect(plan).toMatchObject({ ok: false, code: 'NEEDS_INFERENCE_PROFILE', fix: { target: `us.${HAIKU_45}` } });
    expect(!plan.ok && plan.message).toMatch(/only through inference profiles/);
  });

  it('route automatically: the best profile, and a note that says so', () => {
    const plan = planRoute(document, HAIKU_45, 'us-east-1', true);
    expect(plan.ok && plan.route.invokeId).toBe(`us.${HAIKU_45}`);
    expect(plan.ok && plan.notes[0]).toMatch(/^Routed automatically/);
  });

  it('a profile not offered in the region names where it is', () => {
    const plan = planRoute(document, `eu.${HAIKU_45}`, 'us-east-1', false);
    expect(plan).toMatchObject({ ok: false, code: 'PROFILE_NOT_IN_REGION', fix: null });
    expect(!plan.ok && plan.message).toMatch(/Call it from .*eu-west-1/);
  });

  it('a forgiving name finds the model; nothing typed asks for a target', () => {
    expect(planRoute(document, 'claude 3 haiku', 'us-east-1', false).ok).toBe(true);
    expect(planRoute(document, '  ', 'us-east-1', false)).toMatchObject({ ok: false, code: 'NO_TARGET' });
  });
});
