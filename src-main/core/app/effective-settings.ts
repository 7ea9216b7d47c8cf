import { isDeepStrictEqual } from 'node:util';
import type { SettingName, Settings, SettingsPatch } from '../../../src-shared/contract';
import type { SettingsStore } from './settings-store';

/**
 * The settings in force for this run: the saved file with the command line's values on top. A save never drops
 * a command-line value: the Settings page sends the whole form, so a key that arrives unchanged keeps its
 * command-line value (and is not written to the file); only a key the user really changed replaces it.
 */
export class EffectiveSettings {
  private readonly overrides: Partial<Settings>;

  constructor(
    private readonly store: SettingsStore,
    overrides: Partial<Settings> = {},
  ) {
    this.overrides = { ...overrides };
  }

  get(): Settings {
    return { ...this.store.get(), ...this.overrides };
  }

  commandLine(): SettingName[] {
    return Object.keys(this.overrides) as SettingName[];
  }

  /** Saves the patch; returns the settings in force before and after, so callers can see what changed. */
  async update(patch: SettingsPatch): Promise<{ before: Settings; after: Settings }> {
    const before = this.get();
    const toSave: SettingsPatch = {};
    for (const [key, value] of Object.entries(patch) as [SettingName, unknown][]) {
      if (Object.hasOwn(this.overrides, key)) {
        if (isDeepStrictEqual(value, this.overrides[key])) continue;
        delete this.overrides[key];
      }
      (toSave as Record<string, unknown>)[key] = value;
    }
    await this.store.update(toSave);
    return { before, after: this.get() };
  }
}

export function changedSettings(before: Settings, after: Settings): SettingName[] {
  return (Object.keys(after) as SettingName[]).filter((key) => !isDeepStrictEqual(before[key], after[key]));
}
