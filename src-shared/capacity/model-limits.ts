import { z } from 'zod';
import table from '../../bundled/model_limits.json';
import { withoutProfilePrefix } from './burndown';

/**
 * The most output tokens a model may be asked for (`max_tokens`), from a dated table with its source
 * (bundled/model_limits.json: LiteLLM's model table, a secondary source, copied with its provenance). A workload that
 * asks a model for more than it can give is refused with the valid range, never computed.
 */

const ModelLimitSchema = z.object({
  maxOutputTokens: z.number().int().positive(),
  /** Set when LiteLLM lists the model only under a profile id: the entry the value was copied from. */
  fromProfileEntry: z.string().optional(),
});

export const ModelLimitsTableSchema = z.object({
  asOf: z.iso.date(),
  source: z.url(),
  sourceNote: z.string(),
  models: z.record(z.string(), ModelLimitSchema),
});
export type ModelLimitsTable = z.infer<typeof ModelLimitsTableSchema>;

export interface ModelLimits {
  maxOutputTokens: number;
  /** The table's id the limit was read under (the model's own, or its base id for a `:200k` variant). */
  entry: string;
  source: string;
  asOf: string;
}

/** A model's limits: its own entry, else its base model's (`…-v1:0:200k` → `…-v1:0`); null when the table has none. */
export function modelLimitsFor(modelOrProfileId: string, limits: ModelLimitsTable): ModelLimits | null {
  const modelId = withoutProfilePrefix(modelOrProfileId.trim());
  const base = modelId.split(':').slice(0, 2).join(':');
  for (const entry of [modelId, base]) {
    const found = Object.hasOwn(limits.models, entry) ? limits.models[entry] : undefined;
    if (found) return { maxOutputTokens: found.maxOutputTokens, entry, source: limits.source, asOf: limits.asOf };
  }
  return null;
}

export function bundledModelLimits(): ModelLimitsTable {
  const parsed = ModelLimitsTableSchema.safeParse(table);
  if (!parsed.success) {
    throw new Error(`bundled/model_limits.json is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}
