import { defineFeature } from '../app/feature';

/** PLACEHOLDER while issue #17 is built: replaced by the real feature. */
export const pricesFeature = defineFeature({
  name: 'prices',
  create: () => ({
    exports: null,
    methods: {
        getPrices: () => Promise.reject(new Error('getPrices: not built yet')),
        refreshPrices: () => Promise.reject(new Error('refreshPrices: not built yet')),
    },
  }),
});
