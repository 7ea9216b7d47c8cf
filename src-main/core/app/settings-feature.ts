import { defineFeature } from './feature';

/** Reading and saving settings; the composition root rebuilds whatever a change affects. */
export const settingsFeature = defineFeature({
  name: 'settings',
  create: ({ settings, updateSettings, commandLineSettings, settingsFile }) => ({
    exports: null,
    methods: {
      getSettings: async () => settings(),
      updateSettings: (patch) => updateSettings(patch),
      getSettingsView: async () => ({ settings: settings(), commandLine: commandLineSettings(), problems: [...settingsFile.problems], keptAside: settingsFile.keptAside }),
    },
  }),
});
