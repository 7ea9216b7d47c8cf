import type { AtlasHandlers, SettingName, Settings, SettingsPatch, StreamHandlers } from '../../../src-shared/contract';
import type { AtlasEvent } from '../../../src-shared/events';
import type { AtlasCoreOptions } from './atlas-core';

/**
 * A feature (catalog, settings, playground, …) is a module that registers its methods and streams, says which
 * settings rebuild it, and cleans up after itself. The composition root builds the features in list order and
 * routes each contract method and stream to the one feature that handles it.
 */
export interface Feature<Exports = unknown> {
  name: string;
  /** A change to any of these settings disposes the feature and creates it again. */
  rebuildOn: readonly SettingName[];
  create(context: FeatureContext): FeatureInstance<Exports>;
}

export interface FeatureInstance<Exports = unknown> {
  /** What later features may use through `context.use(feature)`. */
  exports: Exports;
  methods?: Partial<AtlasHandlers>;
  streams?: Partial<StreamHandlers>;
  /** Events that bring a newly connected client up to date (the current catalog, say). */
  snapshotEvents?(): AtlasEvent[];
  dispose?(): void;
}

export interface FeatureContext {
  options: AtlasCoreOptions;
  /** The settings in force now: the saved file with the command line's values on top. */
  settings(): Settings;
  /** Saves a change and rebuilds the features that depend on what changed. */
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  /** Settings given on the command line for this run. */
  commandLineSettings(): SettingName[];
  /** The current exports of a feature earlier in the list. Call it when needed: a rebuild replaces them. */
  use<Exports>(feature: Feature<Exports>): Exports;
  emit(event: AtlasEvent): void;
  log(line: string): void;
}
