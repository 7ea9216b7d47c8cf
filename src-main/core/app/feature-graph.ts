import type { SettingName } from '../../../src-shared/contract';
import type { Feature } from './feature';

/**
 * The features in build order (each after everything it depends on), sorted once from the declared dependencies.
 * A feature that depends on one missing from the list, or a cycle, stops start-up with the names involved.
 */

export class FeatureWiringError extends Error {
  override readonly name = 'FeatureWiringError';
}

export function buildOrder(features: readonly Feature[]): Feature[] {
  const listed = new Set(features);
  const ordered: Feature[] = [];
  const done = new Set<Feature>();
  const visiting: Feature[] = [];
  const visit = (feature: Feature) => {
    if (done.has(feature)) return;
    const cycleStart = visiting.indexOf(feature);
    if (cycleStart >= 0) {
      const cycle = [...visiting.slice(cycleStart), feature].map((member) => member.name).join(' → ');
      throw new FeatureWiringError(`Features depend on each other in a cycle: ${cycle}`);
    }
    visiting.push(feature);
    for (const dependency of feature.dependsOn) {
      if (!listed.has(dependency)) throw new FeatureWiringError(`Feature ${feature.name} depends on ${dependency.name}, which is not in the feature list`);
      visit(dependency);
    }
    visiting.pop();
    done.add(feature);
    ordered.push(feature);
  };
  for (const feature of features) visit(feature);
  return ordered;
}

/**
 * The features a settings change makes stale, in build order: those that rebuild on a changed setting, and every
 * feature that depends on one of them, directly or not.
 */
export function staleFeatures(ordered: readonly Feature[], changed: readonly SettingName[]): Feature[] {
  const stale = new Set<Feature>();
  // Build order puts every dependency before its dependents, so one pass sees each dependency's verdict first.
  for (const feature of ordered) {
    if (feature.rebuildOn.some((name) => changed.includes(name)) || feature.dependsOn.some((dependency) => stale.has(dependency))) stale.add(feature);
  }
  return ordered.filter((feature) => stale.has(feature));
}

/** A feature and every feature that depends on it, directly or not, in build order: what rebuilding it rebuilds. */
export function withDependents(ordered: readonly Feature[], root: Feature): Feature[] {
  const stale = new Set<Feature>([root]);
  for (const feature of ordered) if (feature.dependsOn.some((dependency) => stale.has(dependency))) stale.add(feature);
  return ordered.filter((feature) => stale.has(feature));
}
