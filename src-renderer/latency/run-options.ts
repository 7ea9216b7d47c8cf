import type { CatalogDocument } from '../../src-shared/catalog/document';
import { getModel, profileById } from '../../src-shared/catalog/queries';
import { resolveRoute } from '../../src-shared/catalog/resolve-route';
import { LatencyRunInputSchema, type LatencyRunInput, type PromptSize } from '../../src-shared/contract/latency';
import { offersOptimizedLatency } from '../../src-shared/playground/model-options';
import { inGeographicOrder, REGION_GROUPS, type RegionGroup } from '../../src-shared/regions';

/** What the Latency page's form holds, and how it becomes the contract's run input. */

export interface RunOptions {
  target: string;
  regions: string[];
  runs: number;
  concurrency: number;
  promptSize: PromptSize;
  maxTokens: number;
  latency: 'standard' | 'optimized';
  autoProfile: boolean;
  compareRoutes: boolean;
}

export const DEFAULT_OPTIONS: Omit<RunOptions, 'target' | 'regions'> = {
  runs: 10,
  concurrency: 2,
  promptSize: 'small',
  maxTokens: 128,
  latency: 'standard',
  autoProfile: true,
  compareRoutes: false,
};

export type RegionPreset = 'callable' | 'all' | RegionGroup;

/** The catalog's regions in geographic order, whatever order the last refresh's regions answered in. */
export function catalogRegions(document: CatalogDocument): string[] {
  return inGeographicOrder(Object.keys(document.regions));
}

/** The scanned regions (those whose scan did not fail), in geographic order. */
export function scannedRegions(document: CatalogDocument): string[] {
  return catalogRegions(document).filter((region) => document.regions[region]?.status !== 'error');
}

/** Regions the target can be called from somehow: on demand, or through a profile (auto-profile picks it). */
export function callableRegions(document: CatalogDocument, target: string): string[] {
  if (!target.trim()) return [];
  return scannedRegions(document).filter((region) => {
    try {
      resolveRoute(document, target, region, { autoProfile: true });
      return true;
    } catch {
      return false;
    }
  });
}

export function presetRegions(document: CatalogDocument, target: string, preset: RegionPreset): string[] {
  if (preset === 'all') return catalogRegions(document);
  const callable = callableRegions(document, target);
  if (preset === 'callable') return callable;
  const geography: readonly string[] = REGION_GROUPS[preset];
  const here = callable.filter((region) => geography.includes(region));
  return here.length > 0 ? here : catalogRegions(document).filter((region) => geography.includes(region));
}

/**
 * The target as the page names it ("Anthropic Claude 3 Haiku (anthropic.claude-3-haiku-…)" or the profile's
 * name), and the id its stored samples are found by: the profile id, or the model id for a name or model id.
 */
export function describeTarget(document: CatalogDocument, target: string): { label: string; modelId: string; id: string } | null {
  const trimmed = target.trim();
  if (!trimmed) return null;
  const profile = profileById(document, trimmed.replace(/^arn:.*:(?:application-)?inference-profile\//, ''));
  if (profile) return { label: `${profile.name} (profile ${profile.profileId})`, modelId: profile.modelId, id: profile.profileId };
  const model = getModel(document, trimmed);
  return model ? { label: `${model.providerName} ${model.modelName} (${model.modelId})`, modelId: model.modelId, id: model.modelId } : null;
}

export const offersOptimized = (document: CatalogDocument, target: string) => {
  const described = describeTarget(document, target);
  return described !== null && offersOptimizedLatency(described.modelId);
};

/** The run input, or the first problem in words (a field out of range) before anything is sent. */
export function runInput(options: RunOptions, confirmed = false): { ok: true; input: LatencyRunInput } | { ok: false; message: string } {
  if (options.regions.length === 0) return { ok: false, message: 'Choose at least one region (or a preset).' };
  const input: LatencyRunInput = {
    target: options.target,
    regions: options.regions,
    runs: options.runs,
    concurrency: options.concurrency,
    promptSize: options.promptSize,
    maxTokens: options.maxTokens,
    latency: options.latency,
    autoProfile: options.autoProfile,
    compareRoutes: options.compareRoutes,
    confirmed,
  };
  const checked = LatencyRunInputSchema.safeParse(input);
  if (!checked.success) {
    const named = checked.error.issues.map((issue) => {
      const field = issue.path.join('.');
      return issue.message.includes(field) ? issue.message : `${field}: ${issue.message}`;
    });
    return { ok: false, message: named.join('; ') };
  }
  return { ok: true, input };
}
