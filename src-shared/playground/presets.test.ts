import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CatalogDocument } from '../catalog/document';
import { resolveRoute } from '../catalog/resolve-route';
import { applyPreset } from './presets';

const document = JSON.parse(readFileSync(new URL('../../bundled/bedrock_catalog_bundled.json', import.meta.url), 'utf8')) as CatalogDocument;
const callable = (panes: { target: string; region: string }[]) => panes.every((pane) => resolveRoute(document, pane.target, pane.region).invokeId === pane.target);

describe('compare presets', () => {
  it('same model across regions: the home region first, one per geography, each callable as set', () => {
    const panes = applyPreset(document, 'regions', { target: 'amazon.nova-pro-v1:0', region: 'us-east-1' });
    expect(panes).toHaveLength(4);
    expect(panes[0]).toEqual({ target: 'amazon.nova-pro-v1:0', region: 'us-east-1' });
    expect(new Set(panes.map((pane) => pane.region)).size).toBe(4);
    expect(panes.some((pane) => pane.region.startsWith('eu-'))).toBe(true);
    expect(callable(panes)).toBe(true);
  });

  it('direct vs profile in one region: the bare id beside its profiles', () => {
    const panes = applyPreset(document, 'direct-vs-profile', { target: 'amazon.nova-pro-v1:0', region: 'us-east-1' });
    expect(panes.map((pane) => pane.target)).toEqual(['amazon.nova-pro-v1:0', 'us.amazon.nova-pro-v1:0']);
    expect(callable(panes)).toBe(true);
  });

  it('same region, different models: other providers, profiles where needed', () => {
    const panes = applyPreset(document, 'models', { target: 'anthropic.claude-haiku-4-5-20251001-v1:0', region: 'us-east-1' });
    expect(panes[0]).toEqual({ target: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', region: 'us-east-1' });
    expect(panes).toHaveLength(4);
    expect(panes.every((pane) => pane.region === 'us-east-1')).toBe(true);
    expect(callable(panes)).toBe(true);
  });

  it('says why a preset cannot apply', () => {
    expect(() => applyPreset(document, 'regions', { target: 'no such model', region: 'us-east-1' })).toThrow(/Choose a model in the first pane first/);
    expect(() => applyPreset(document, 'direct-vs-profile', { target: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1' })).toThrow(/only one route from us-east-1/);
  });
});
