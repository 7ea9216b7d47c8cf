import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EmulatorData } from './bedrock-data';
import { anyRegionModel } from './targets';

/**
 * Bedrock's Service Quotas as the emulator serves them, shaped from real recordings (recordings/README.md): the
 * us-east-1 dump's inference quotas (names as AWS spells them, oddities included), eu-west-1's values where they
 * differ, and the awslabs quota index that says which code belongs to which model id, route and unit. The same codes
 * are served in every region, as AWS does; the scenario's `quotas` changes applied and default values per model,
 * region and route, adds made-up quotas, and synthesises a code for a route the recordings have none for.
 */

export const QUOTA_ROUTE_KINDS = ['on-demand', 'geo-profile', 'global-profile'] as const;
export const QUOTA_UNITS = ['requestsPerMinute', 'tokensPerMinute', 'tokensPerDay'] as const;
export type RouteKind = (typeof QUOTA_ROUTE_KINDS)[number];
export type QuotaUnit = (typeof QUOTA_UNITS)[number];

const RegionOrAny = z.string().min(1);
const QuotaValue = z.number().nonnegative();

const QuotaRule = z
  .object({
    region: RegionOrAny.default('*'),
    modelId: z.string().min(1).default('*'),
    routeKind: z.enum(QUOTA_ROUTE_KINDS),
    unit: z.enum(QUOTA_UNITS),
    /** The account's value (ListServiceQuotas, GetServiceQuota); 0 is a quota of zero. Else the default. */
    applied: QuotaValue.optional(),
    /** AWS's default (ListAWSDefaultServiceQuotas, GetAWSDefaultServiceQuota). Else the recorded value. */
    default: QuotaValue.optional(),
    adjustable: z.boolean().optional(),
  })
  .strict()
  .refine((rule) => rule.applied !== undefined || rule.default !== undefined || rule.adjustable !== undefined, {
    message: 'a quota rule sets at least one of applied, default or adjustable',
  });

const ExtraQuota = z
  .object({
    region: RegionOrAny.default('*'),
    quotaCode: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{1,127}$/),
    quotaName: z.string().min(1),
    value: QuotaValue,
    adjustable: z.boolean().default(false),
  })
  .strict();

export const QuotasScenarioSchema = z
  .object({
    /** Values per region, model, route kind and unit. The more specific rule wins (region, then model); then the later. */
    rules: z.array(QuotaRule).default([]),
    /** Regions where the caller may not read Service Quotas: AccessDeniedException. */
    denied: z.array(RegionOrAny).default([]),
    /** Regions where Service Quotas fails: ServiceException (500). */
    failing: z.array(RegionOrAny).default([]),
    /** The first N calls in a region answer TooManyRequestsException. */
    throttled: z.array(z.object({ region: RegionOrAny.default('*'), firstN: z.number().int().positive() }).strict()).default([]),
    /** Quotas with made-up names, served as they are (an unmatched name, or one that fits two models). */
    extra: z.array(ExtraQuota).default([]),
    /** At most this many quotas per page, whatever MaxResults asks (AWS may return fewer than asked). */
    pageSize: z.number().int().positive().max(100).optional(),
  })
  .strict();
export type QuotasScenario = z.output<typeof QuotasScenarioSchema>;

interface RecordedQuota {
  quotaCode: string;
  quotaName: string;
  value: number;
  unit: string;
  adjustable: boolean;
  globalQuota: boolean;
  usageMetric: Record<string, unknown>;
  period: Record<string, unknown>;
}

interface QuotaIndexEntry {
  modelId: string;
  /** base (on-demand), us/eu/apac/jp/au/ca (a geo profile) or global. */
  endpoint: string;
  quotaType: string;
  quotaCode: string;
  quotaName: string;
}

export interface QuotaRecordings {
  quotas: RecordedQuota[];
  /** Values per region where a recording of that region differs from us-east-1's. */
  regionalValues: Map<string, Map<string, number>>;
  index: QuotaIndexEntry[];
}

/** One quota of one region as the emulator serves it, before the wire shape. */
export interface EmulatedQuota {
  quotaCode: string;
  quotaName: string;
  applied: number;
  default: number;
  adjustable: boolean;
  unit: string;
  globalQuota: boolean;
  usageMetric: Record<string, unknown>;
  period: Record<string, unknown>;
}

function readRecording(name: string): string {
  return readFileSync(new URL(`./recordings/${name}`, import.meta.url), 'utf8');
}

export function loadQuotaRecordings(): QuotaRecordings {
  const usEast1 = JSON.parse(readRecording('service-quotas.bedrock.us-east-1.json')) as { quotas: RecordedQuota[] };
  const euWest1 = JSON.parse(readRecording('service-quotas.bedrock.eu-west-1.partial.json')) as { quotas: RecordedQuota[] };
  const [, ...rows] = readRecording('quota-index.awslabs-bedrock-usage-analyzer.csv').trim().split('\n');
  // model_id,endpoint,quota_type,quota_code,quota_name: the name is last and is the only field that could hold a comma.
  const index = rows.map((row) => {
    const [modelId = '', endpoint = '', quotaType = '', quotaCode = '', ...name] = row.split(',');
    return { modelId, endpoint, quotaType, quotaCode, quotaName: name.join(',') };
  });
  return {
    quotas: usEast1.quotas,
    regionalValues: new Map([['eu-west-1', new Map(euWest1.quotas.map((quota) => [quota.quotaCode, quota.value]))]]),
    index,
  };
}

const GEO_ENDPOINTS = new Set(['us', 'eu', 'apac', 'jp', 'au', 'ca']);
const QUOTA_TYPES: Record<QuotaUnit, string> = { requestsPerMinute: 'rpm', tokensPerMinute: 'tpm', tokensPerDay: 'tpd' };

/**
 * The index rows of a route kind and unit. The daily quota ("Model invocation max tokens per day …, doubled for
 * cross-region calls") is one per model, indexed under the geo endpoints: it is also the on-demand route's.
 */
function indexRows(recordings: QuotaRecordings, routeKind: RouteKind, unit: QuotaUnit, modelId: string): QuotaIndexEntry[] {
  const type = QUOTA_TYPES[unit];
  const endpointFits = (endpoint: string) =>
    routeKind === 'global-profile' ? endpoint === 'global' : routeKind === 'geo-profile' || unit === 'tokensPerDay' ? GEO_ENDPOINTS.has(endpoint) : endpoint === 'base';
  return recordings.index.filter((row) => row.quotaType === type && endpointFits(row.endpoint) && (modelId === '*' || row.modelId === modelId));
}

/** A model's name as Service Quotas writes it: the provider, then the model ("Amazon Nova Lite"). */
function displayName(data: EmulatorData, modelId: string): string {
  const model = anyRegionModel(data, modelId);
  if (!model) return modelId;
  return model.modelName.startsWith(model.providerName) ? model.modelName : `${model.providerName} ${model.modelName}`;
}

/** The name AWS would give the quota, in its real patterns. */
function synthesisedName(routeKind: RouteKind, unit: QuotaUnit, name: string): string {
  const what = { requestsPerMinute: 'requests per minute', tokensPerMinute: 'tokens per minute', tokensPerDay: 'tokens per day' }[unit];
  if (routeKind === 'global-profile') return `Global cross-region model inference ${what} for ${name}`;
  if (unit === 'tokensPerDay') return `Model invocation max tokens per day for ${name} (doubled for cross-region calls)`;
  return `${routeKind === 'geo-profile' ? 'Cross-region' : 'On-demand'} model inference ${what} for ${name}`;
}

/** A stable made-up code, in AWS's `L-` + 8 characters form, so a test can name it. */
export function synthesisedQuotaCode(modelId: string, routeKind: RouteKind, unit: QuotaUnit): string {
  const scope = unit === 'tokensPerDay' && routeKind !== 'global-profile' ? 'daily' : routeKind;
  return `L-EMU${createHash('sha256').update(`${modelId}\n${scope}\n${unit}`).digest('hex').slice(0, 5).toUpperCase()}`;
}

/** Which routes AWS lets you raise in Service Quotas: cross-region and global tokens per minute, global requests. */
function adjustableByDefault(routeKind: RouteKind, unit: QuotaUnit): boolean {
  return (routeKind === 'geo-profile' && unit === 'tokensPerMinute') || (routeKind === 'global-profile' && unit !== 'tokensPerDay');
}

const matches = (pattern: string, value: string) => pattern === '*' || pattern === value;

/** The quotas `region` serves under the scenario: the recorded ones, those the rules add, then the extra ones. */
export function quotasOfRegion(recordings: QuotaRecordings, data: EmulatorData, scenario: QuotasScenario, region: string): EmulatedQuota[] {
  const regional = recordings.regionalValues.get(region);
  const served = new Map<string, EmulatedQuota>();
  for (const quota of recordings.quotas) {
    const value = regional?.get(quota.quotaCode) ?? quota.value;
    served.set(quota.quotaCode, { ...quota, applied: value, default: value });
  }
  const specificity = (rule: { region: string; modelId: string }) => (rule.region === '*' ? 0 : 2) + (rule.modelId === '*' ? 0 : 1);
  const rules = scenario.rules
    .map((rule, order) => ({ rule, order }))
    .filter(({ rule }) => matches(rule.region, region))
    .sort((a, b) => specificity(a.rule) - specificity(b.rule) || a.order - b.order);
  // Defaults first, then applied values over them: a rule's applied value falls back on the default in force.
  const overrides = new Map<string, { applied?: number; default?: number; adjustable?: boolean }>();
  for (const { rule } of rules) {
    const rows = indexRows(recordings, rule.routeKind, rule.unit, rule.modelId);
    const codes = new Set(rows.map((row) => row.quotaCode).filter((code) => rule.modelId !== '*' || served.has(code)));
    if (codes.size === 0 && rule.modelId !== '*') {
      const code = synthesisedQuotaCode(rule.modelId, rule.routeKind, rule.unit);
      if (!served.has(code)) {
        const value = rule.default ?? rule.applied;
        if (value === undefined) continue; // nothing to serve: the rule only says whether it is adjustable
        const quotaName = synthesisedName(rule.routeKind, rule.unit, displayName(data, rule.modelId));
        served.set(code, { quotaCode: code, quotaName, applied: value, default: value, adjustable: adjustableByDefault(rule.routeKind, rule.unit), unit: 'None', globalQuota: false, usageMetric: {}, period: {} });
      }
      codes.add(code);
    }
    for (const code of codes) {
      if (!served.has(code)) {
        // In the index (newer than the dump) but not recorded: served under the index's name once a rule gives it a value.
        const row = rows.find((candidate) => candidate.quotaCode === code)!;
        const value = rule.default ?? rule.applied;
        if (value === undefined) continue;
        served.set(code, { quotaCode: code, quotaName: row.quotaName, applied: value, default: value, adjustable: adjustableByDefault(rule.routeKind, rule.unit), unit: 'None', globalQuota: false, usageMetric: {}, period: {} });
      }
      const override = overrides.get(code) ?? {};
      if (rule.applied !== undefined) override.applied = rule.applied;
      if (rule.default !== undefined) override.default = rule.default;
      if (rule.adjustable !== undefined) override.adjustable = rule.adjustable;
      overrides.set(code, override);
    }
  }
  for (const [code, override] of overrides) {
    const quota = served.get(code)!;
    const defaultValue = override.default ?? quota.default;
    served.set(code, { ...quota, default: defaultValue, applied: override.applied ?? override.default ?? quota.applied, adjustable: override.adjustable ?? quota.adjustable });
  }
  for (const extra of scenario.extra.filter((candidate) => matches(candidate.region, region))) {
    served.set(extra.quotaCode, { quotaCode: extra.quotaCode, quotaName: extra.quotaName, applied: extra.value, default: extra.value, adjustable: extra.adjustable, unit: 'None', globalQuota: false, usageMetric: {}, period: {} });
  }
  return [...served.values()];
}

/**
 * The applied value of the quota that holds a model's calls on a route in a region, as Service Quotas serves it
 * under the scenario: the code the quota index gives the model, route and unit (or the code a rule synthesised for
 * it); null when the region has no such quota.
 */
export function appliedQuota(
  recordings: QuotaRecordings,
  data: EmulatorData,
  scenario: QuotasScenario,
  region: string,
  modelId: string,
  routeKind: RouteKind,
  unit: QuotaUnit,
): number | null {
  const served = new Map(quotasOfRegion(recordings, data, scenario, region).map((quota) => [quota.quotaCode, quota]));
  const codes = [...indexRows(recordings, routeKind, unit, modelId).map((row) => row.quotaCode), synthesisedQuotaCode(modelId, routeKind, unit)];
  for (const code of codes) {
    const quota = served.get(code);
    if (quota) return quota.applied;
  }
  return null;
}
