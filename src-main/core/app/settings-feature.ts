import type { Feature } from './feature';

/** Reading and saving settings; the composition root rebuilds whatever a change affects. */
export const settingsFeature: Feature<null> = {
  name: 'settings',
  rebuildOn: [],
  create: ({ settings, updateSettings, commandLineSettings }) => ({
    exports: null,
    methods: {
      getSettings: async () => settings(),
      updateSettings: (patch) => updateSettings(patch),
      getSettingsView: async () => ({ settings: settings(), commandLine: commandLineSettings() }),
    },
  }),
};
