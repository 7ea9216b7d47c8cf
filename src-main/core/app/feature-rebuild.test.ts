import { describe, expect, it } from 'vitest';
import { createAtlasCore, FEATURES, FeatureWiringError } from './atlas-core';
import { defineFeature, type Feature, type FeatureContext } from './feature';

/**
 * A feature may ask the composition root to rebuild a feature it depends on (new IAM Identity Center credentials
 * need a new aws pool): that feature and everything depending on it are disposed, dependents first, and created
 * again in build order; a feature it does not depend on is refused by name.
 */

function recordingFeatures() {
  const events: string[] = [];
  const contexts: Record<string, FeatureContext> = {};
  const make = (name: string, dependsOn: Record<string, Feature>) =>
    defineFeature({
      name,
      dependsOn,
      create: (context) => {
        events.push(`create ${name}`);
        contexts[name] = context;
        return { exports: name, dispose: () => void events.push(`dispose ${name}`) };
      },
    });
  const base = make('base', {});
  const other = make('other', {});
  const middle = make('middle', { base });
  const asker = make('asker', { base });
  const top = make('top', { middle });
  // Every contract method and stream still needs an owner: the real features stay, these are added.
  return { events, contexts, features: [...FEATURES, base, other, middle, asker, top], base, other };
}

describe('a feature asks for a rebuild of what it depends on', () => {
  it('rebuilds the dependency and its dependents, disposing dependents first, and leaves the rest alone', async () => {
    const { events, contexts, features, base } = recordingFeatures();
    const core = await createAtlasCore({ version: '0.0.0-test', features, overrides: { cacheMode: 'none' } });
    events.length = 0;
    contexts.asker!.rebuild(base);
    expect(events).toEqual(['dispose top', 'dispose asker', 'dispose middle', 'dispose base', 'create base', 'create middle', 'create asker', 'create top']);
    await core.close();
  });

  it('refuses, by name, a feature that is not a dependency', async () => {
    const { contexts, features, other } = recordingFeatures();
    const core = await createAtlasCore({ version: '0.0.0-test', features, overrides: { cacheMode: 'none' } });
    expect(() => contexts.asker!.rebuild(other)).toThrow(new FeatureWiringError('Feature asker asked to rebuild other without declaring it in dependsOn'));
    await core.close();
  });
});
