import { defineFeature } from '../app/feature';

/** PLACEHOLDER while issue #17 is built: replaced by the real feature. */
export const capacityFeature = defineFeature({
  name: 'capacity',
  create: () => ({
    exports: null,
    methods: {
        capacity: () => Promise.reject(new Error('capacity: not built yet')),
    },
  }),
});
