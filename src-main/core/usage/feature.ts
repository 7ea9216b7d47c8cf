import { defineFeature } from '../app/feature';

/** PLACEHOLDER while issue #17 is built: replaced by the real feature. */
export const usageFeature = defineFeature({
  name: 'usage',
  create: () => ({
    exports: null,
    methods: {
        getUsage: () => Promise.reject(new Error('getUsage: not built yet')),
    },
  }),
});
