import { defineFeature } from '../app/feature';

/** PLACEHOLDER while issue #17 is built: replaced by the real feature. */
export const quotasFeature = defineFeature({
  name: 'quotas',
  create: () => ({
    exports: null,
    methods: {
        getQuotas: () => Promise.reject(new Error('getQuotas: not built yet')),
        refreshQuotas: () => Promise.reject(new Error('refreshQuotas: not built yet')),
        cancelQuotaRefresh: () => Promise.reject(new Error('cancelQuotaRefresh: not built yet')),
    },
  }),
});
