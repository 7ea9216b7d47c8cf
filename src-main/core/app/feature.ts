import type { AtlasHandlers, SettingName, Settings, SettingsPatch, StreamHandlers } from '../../../src-shared/contract';
import type { AtlasEvent } from '../../../src-shared/events';
import type { AtlasCoreOptions } from './atlas-core';

/**
 * A feature (catalog, settings, playground, …) is a module that registers its methods and streams, says which
 * features it needs and which settings rebuild it, and cleans up after itself. The composition root orders the
 * build from the declared dependencies, hands each feature the exports of the ones it depends on, routes each
 * contract method and stream to the one feature that handles it, and rebuilds a feature's dependents with it.
 */
export interface Feature<Exports = unknown> {
  readonly name: string;
  /** The features whose exports `create` receives; they are built first and rebuild this one when rebuilt. */
  readonly dependsOn: readonly Feature[];
  /** A change to any of these settings disposes the feature (and its dependents) and creates it again. */
  readonly rebuildOn: readonly SettingName[];
  /** `exportsOf` answers only for the features in `dependsOn`. */
  create(context: FeatureContext, exportsOf: <Dependency>(feature: Feature<Dependency>) => Dependency): FeatureInstance<Exports>;
}

export interface FeatureInstance<Exports = unknown> {
  /** What the features that depend on this one receive. */
  exports: Exports;
  methods?: Partial<AtlasHandlers>;
  streams?: Partial<StreamHandlers>;
  /** Events that bring a newly connected client up to date (the current catalog, say). */
  snapshotEvents?(): AtlasEvent[];
  /** May finish later (a file closed once its statements are done): `AtlasCore.close` waits for it. */
  dispose?(): void | Promise<void>;
}

export interface FeatureContext {
  options: AtlasCoreOptions;
  /** The settings in force now: the saved file with the command line's values on top. */
  settings(): Settings;
  /** Saves a change and rebuilds the features that depend on what changed. */
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  /** Settings given on the command line for this run. */
  commandLineSettings(): SettingName[];
  /**
   * Disposes a feature this one depends on, and everything that depends on it (this one included), and creates
   * them again, as a changed setting would: for a change outside the settings that such a feature must see (new
   * IAM Identity Center credentials need a new aws pool). Call it last: this feature's instance is replaced.
   */
  rebuild(dependency: Feature): void;
  /** What went wrong reading the settings file at start-up, and where a damaged file was kept. */
  settingsFile: { problems: readonly string[]; keptAside: string | null };
  emit(event: AtlasEvent): void;
  log(line: string): void;
}

type ExportsOfAll<Dependencies extends Record<string, Feature>> = { [Key in keyof Dependencies]: Dependencies[Key] extends Feature<infer Exports> ? Exports : never };

/**
 * Declares a feature with named dependencies: `create` receives their exports by name, typed, so nothing reaches
 * another feature through a look-up in the middle of its code.
 */
export function defineFeature<Exports, Dependencies extends Record<string, Feature> = Record<never, Feature>>(definition: {
  name: string;
  dependsOn?: Dependencies;
  rebuildOn?: readonly SettingName[];
  create(context: FeatureContext, dependencies: ExportsOfAll<Dependencies>): FeatureInstance<Exports>;
}): Feature<Exports> {
  const named = Object.entries(definition.dependsOn ?? {}) as [string, Feature][];
  return {
    name: definition.name,
    dependsOn: named.map(([, feature]) => feature),
    rebuildOn: definition.rebuildOn ?? [],
    create: (context, exportsOf) =>
      definition.create(context, Object.fromEntries(named.map(([key, feature]) => [key, exportsOf(feature)])) as ExportsOfAll<Dependencies>),
  };
}
