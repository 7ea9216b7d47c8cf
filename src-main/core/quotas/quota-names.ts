import type { QuotaRouteKind, QuotaUnit } from '../../../src-shared/catalog/quotas';

/**
 * What a Service Quotas name says about Bedrock inference: the unit, the route kinds it limits and the model's
 * display name. Names are AWS's prose, not identifiers, and are not normalised: "Cross-region" and "Cross-Region",
 * "On-demand" and "On-Demand, latency-optimized", trailing spaces and periods, double spaces. Only the inference
 * families below are read; every other Bedrock quota (batch, customization, provisioned throughput, API rates,
 * concurrent InvokeModel requests) is simply not an inference quota.
 */

/** One route kind a quota limits, and how its value applies there. */
export interface QuotaApplication {
  routeKind: QuotaRouteKind;
  /** The quota's value is multiplied by this for the route kind (2 for "doubled for cross-region calls"). */
  factor: number;
  /** Why the value shown is not the quota's own number. */
  note?: string;
}

export interface InferenceQuotaName {
  unit: QuotaUnit;
  appliesTo: QuotaApplication[];
  /** The model as the quota names it: a display name ("Anthropic Claude 3.5 Sonnet V2"), never an id. */
  modelName: string;
  /** A variant the catalog does not list apart ("latency-optimized", "1M Context Length"): kept out of the main figures. */
  variant?: string;
}

export const LATENCY_OPTIMIZED = 'latency-optimized';

export const DOUBLED_FOR_CROSS_REGION_NOTE =
  'twice the "Model invocation max tokens per day … (doubled for cross-region calls)" quota, as AWS words it for cross-region calls';

const UNITS: Record<string, QuotaUnit> = {
  'requests per minute': 'requestsPerMinute',
  'tokens per minute': 'tokensPerMinute',
  'tokens per day': 'tokensPerDay',
};

/** "Cross-region model inference tokens per minute for X", and its on-demand, latency-optimized and global siblings. */
const MODEL_INFERENCE =
  /^(on-demand|on-demand,? latency-optimized|cross-region|global cross-region) model inference (requests per minute|tokens per minute|tokens per day) for (.+)$/i;
/** "Model invocation max tokens per day for X (doubled for cross-region calls)": the in-region figure, doubled across regions. */
const MAX_TOKENS_PER_DAY = /^model invocation max (latency-optimized )?tokens per day for (.+?)(\s*\(doubled for cross-region calls\))?$/i;
/** A context-length variant at the end of the model's name: "… Sonnet 4.5 V1 1M Context Length". */
const CONTEXT_VARIANT = /^(.+?)\s+(\d+(?:\.\d+)?[KM]) context length$/i;

/** Whitespace collapsed, trailing spaces and a trailing period gone: "for Claude Sonnet 4.5." reads as "for Claude Sonnet 4.5". */
export function cleanQuotaName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().replace(/\.$/, '').trim();
}

function withVariant(modelName: string, variant: string | undefined): Pick<InferenceQuotaName, 'modelName' | 'variant'> {
  const context = CONTEXT_VARIANT.exec(modelName);
  const contextVariant = context ? `${context[2]!.toUpperCase()} Context Length` : undefined;
  const name = context ? context[1]! : modelName;
  const variants = [variant, contextVariant].filter((part): part is string => part !== undefined);
  return { modelName: name.trim(), ...(variants.length > 0 ? { variant: variants.join(', ') } : {}) };
}

/** The inference quota a name describes, or null for any other quota. */
export function parseQuotaName(rawName: string): InferenceQuotaName | null {
  const name = cleanQuotaName(rawName);
  const inference = MODEL_INFERENCE.exec(name);
  if (inference) {
    const family = inference[1]!.toLowerCase();
    const unit = UNITS[inference[2]!.toLowerCase()]!;
    const routeKind: QuotaRouteKind = family.startsWith('global') ? 'global-profile' : family.startsWith('cross') ? 'geo-profile' : 'on-demand';
    const variant = family.includes('latency-optimized') ? LATENCY_OPTIMIZED : undefined;
    return { unit, appliesTo: [{ routeKind, factor: 1 }], ...withVariant(inference[3]!, variant) };
  }
  const perDay = MAX_TOKENS_PER_DAY.exec(name);
  if (perDay) {
    const variant = perDay[1] ? LATENCY_OPTIMIZED : undefined;
    // AWS: "Doubled for cross-region calls; not applicable in case of approved TPM increase." The in-region figure
    // is the quota; a geographic profile's is twice it, as worded, never derived from tokens per minute.
    const appliesTo: QuotaApplication[] = perDay[3]
      ? [
          { routeKind: 'on-demand', factor: 1 },
          { routeKind: 'geo-profile', factor: 2, note: DOUBLED_FOR_CROSS_REGION_NOTE },
        ]
      : [{ routeKind: 'on-demand', factor: 1 }];
    return { unit: 'tokensPerDay', appliesTo, ...withVariant(perDay[2]!, variant) };
  }
  return null;
}
