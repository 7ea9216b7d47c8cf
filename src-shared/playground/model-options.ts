import type { CatalogModel } from '../catalog/document';

/**
 * What a model takes beyond text, where the catalog's API answers do not say. Latency-optimized inference is
 * listed by AWS per model (user guide, "Optimize model inference for latency"); the emulator serves the same list.
 */
export const OPTIMIZED_LATENCY_MODELS: readonly string[] = [
  'amazon.nova-pro-v1:0',
  'anthropic.claude-3-5-haiku-20241022-v1:0',
  'meta.llama3-1-70b-instruct-v1:0',
  'meta.llama3-1-405b-instruct-v1:0',
];

export const offersOptimizedLatency = (modelId: string) => OPTIMIZED_LATENCY_MODELS.includes(modelId);

export const takesImages = (model: CatalogModel | null) => model?.inputModalities.includes('IMAGE') === true;

/** A chat model the playground can talk to: text out. */
export const isChatModel = (model: CatalogModel) => model.outputModalities.includes('TEXT');
