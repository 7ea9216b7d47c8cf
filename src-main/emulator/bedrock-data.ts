import { readFileSync } from 'node:fs';
import { COMMERCIAL_REGIONS } from '../../src-shared/regions';

/**
 * Each region's control-plane answers, rebuilt from real recordings (see recordings/README.md): the 31-region scan
 * of 2026-08-21 decides which model is where and how; names, providers and profile texts come from the us-east-1 and
 * us-west-2 recordings; the shapes are those of the recorded responses.
 */

export interface FoundationModelSummaryWire {
  modelArn: string;
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: string[];
  outputModalities: string[];
  responseStreamingSupported?: boolean;
  customizationsSupported: string[];
  inferenceTypesSupported: string[];
  modelLifecycle: { status: string };
}

export interface InferenceProfileWire {
  inferenceProfileName: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  inferenceProfileArn: string;
  models: { modelArn: string }[];
  inferenceProfileId: string;
  status: string;
  type: string;
}

export interface RegionData {
  region: string;
  models: FoundationModelSummaryWire[];
  profiles: InferenceProfileWire[];
  modelsById: Map<string, FoundationModelSummaryWire>;
  profilesById: Map<string, InferenceProfileWire>;
}

export interface EmulatorData {
  /** Regions with data: the scanned ones. */
  regions: Map<string, RegionData>;
  /** Regions that have a Bedrock endpoint but were not scanned: they answer as not enabled for the account. */
  notEnabledRegions: string[];
}

interface ScannedModel {
  regions: string[];
  inference_types: Record<string, string[]>;
  inputModalities: string[];
  outputModalities: string[];
  responseStreamingSupported?: boolean;
  customizationsSupported: string[];
  model_lifecycle_status: string;
  inferenceProfile?: Record<string, Record<string, string[]> | string[]>;
}

export const ACCOUNT_ID = '123456789012';

const PROVIDER_NAMES: Record<string, string> = {
  ai21: 'AI21 Labs',
  amazon: 'Amazon',
  anthropic: 'Anthropic',
  cohere: 'Cohere',
  deepseek: 'DeepSeek',
  google: 'Google',
  luma: 'Luma AI',
  meta: 'Meta',
  minimax: 'MiniMax',
  mistral: 'Mistral AI',
  moonshot: 'Moonshot AI',
  moonshotai: 'Moonshot AI',
  nvidia: 'NVIDIA',
  openai: 'OpenAI',
  qwen: 'Qwen',
  stability: 'Stability AI',
  twelvelabs: 'TwelveLabs',
  writer: 'Writer',
  xai: 'xAI',
  zai: 'Z.AI',
};

const SCOPE_LABELS: Record<string, string> = {
  us: 'US',
  eu: 'EU',
  apac: 'APAC',
  jp: 'JP',
  au: 'AU',
  ca: 'CA',
  in: 'IN',
  global: 'Global',
};

function readRecording<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./recordings/${name}`, import.meta.url), 'utf8')) as T;
}

export function providerFromModelId(modelId: string): string {
  const [prefix = modelId] = modelId.split('.');
  return PROVIDER_NAMES[prefix] ?? prefix.charAt(0).toUpperCase() + prefix.slice(1);
}

/**
 * "amazon.nova-2-lite-v1:0" -> "Nova 2 Lite" when no recording names the model. Version numbers written with dashes
 * in ids are written with a point, as the providers name them: "claude-haiku-4-5" -> "Claude Haiku 4.5",
 * "claude-3-5-sonnet" -> "Claude 3.5 Sonnet".
 */
export function nameFromModelId(modelId: string): string {
  const body = (modelId.split('.').slice(1).join('.').split(':')[0] ?? '').replace(/-v\d+$/, '');
  // A dated id (gpt-5.4-2026-03-05) keeps its date as one word.
  const words = body
    .replace(/(\d{4})-(\d{2})-(\d{2})/g, '$1\u2011$2\u2011$3')
    .split('-')
    .map((word) => word.replace(/\u2011/g, '-'))
    .filter((word) => !/^\d{8}$/.test(word));
  const joined: string[] = [];
  for (const word of words) {
    const previous = joined.at(-1);
    // A short number right after a short number is the minor version: 4-5 is 4.5 (never a date or a size like 8b).
    if (previous !== undefined && /^\d{1,2}$/.test(word) && /(^|\.)\d{1,2}$/.test(previous) && /^\d/.test(previous)) joined[joined.length - 1] = `${previous}.${word}`;
    else joined.push(word);
  }
  return joined.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

export function foundationModelArn(region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

export function inferenceProfileArn(region: string, profileId: string): string {
  return `arn:aws:bedrock:${region}:${ACCOUNT_ID}:inference-profile/${profileId}`;
}

function listWords(regions: string[]): string {
  return regions.length <= 1 ? regions.join('') : `${regions.slice(0, -1).join(', ')} and ${regions[regions.length - 1]}`;
}

export function loadEmulatorData(): EmulatorData {
  const scan = readRecording<Record<string, ScannedModel>>('scan-2026-08-21.models-by-region.json');
  const recordedModels = readRecording<{ modelSummaries: FoundationModelSummaryWire[] }>(
    'us-east-1.list-foundation-models.json',
  ).modelSummaries;
  const recordedProfiles = new Map<string, InferenceProfileWire>();
  for (const file of ['us-west-2.list-inference-profiles.json', 'us-east-1.list-inference-profiles.json']) {
    for (const profile of readRecording<{ inferenceProfileSummaries: InferenceProfileWire[] }>(file).inferenceProfileSummaries) {
      recordedProfiles.set(profile.inferenceProfileId, profile);
    }
  }
  const recordedById = new Map(recordedModels.map((model) => [model.modelId, model]));

  const regions = new Map<string, RegionData>();
  const regionData = (region: string): RegionData => {
    let data = regions.get(region);
    if (!data) {
      data = { region, models: [], profiles: [], modelsById: new Map(), profilesById: new Map() };
      regions.set(region, data);
    }
    return data;
  };

  for (const [modelId, scanned] of Object.entries(scan)) {
    const recorded = recordedById.get(modelId);
    const modelName = recorded?.modelName ?? nameFromModelId(modelId);
    const providerName = recorded?.providerName ?? providerFromModelId(modelId);
    for (const region of scanned.regions) {
      const types = scanned.inference_types[region] ?? [];
      const scopes = types.filter((type) => type !== 'ON_DEMAND' && type !== 'PROVISIONED');
      const inferenceTypesSupported: string[] = types.filter((type) => type === 'ON_DEMAND' || type === 'PROVISIONED');
      if (scopes.length > 0) inferenceTypesSupported.push('INFERENCE_PROFILE');
      const summary: FoundationModelSummaryWire = {
        modelArn: foundationModelArn(region, modelId),
        modelId,
        modelName,
        providerName,
        inputModalities: scanned.inputModalities,
        outputModalities: scanned.outputModalities,
        // The recordings leave this out for some models; keep the absence.
        ...(recorded && recorded.responseStreamingSupported === undefined
          ? {}
          : { responseStreamingSupported: scanned.responseStreamingSupported ?? true }),
        customizationsSupported: scanned.customizationsSupported,
        inferenceTypesSupported,
        modelLifecycle: { status: scanned.model_lifecycle_status },
      };
      regionData(region).models.push(summary);

      for (const scope of scopes) {
        const prefix = scope.toLowerCase();
        const profileId = `${prefix}.${modelId}`;
        const routing = scanned.inferenceProfile?.[scope];
        const destinations =
          prefix === 'global'
            ? null
            : ((routing as Record<string, string[]> | undefined)?.[region] ?? [region]);
        const recordedProfile = recordedProfiles.get(profileId);
        const scopeLabel = SCOPE_LABELS[prefix] ?? scope;
        const models =
          destinations === null
            ? [{ modelArn: `arn:aws:bedrock:::foundation-model/${modelId}` }, { modelArn: foundationModelArn(region, modelId) }]
            : destinations.map((destination) => ({ modelArn: foundationModelArn(destination, modelId) }));
        regionData(region).profiles.push({
          inferenceProfileName: recordedProfile?.inferenceProfileName ?? `${scopeLabel} ${providerName} ${modelName}`,
          description:
            recordedProfile?.description ??
            (destinations === null
              ? `Routes requests to ${providerName} ${modelName} in all supported commercial regions.`
              : `Routes requests to ${providerName} ${modelName} in ${listWords(destinations)}.`),
          createdAt: recordedProfile?.createdAt ?? '2025-10-01T00:00:00+00:00',
          updatedAt: recordedProfile?.updatedAt ?? '2025-10-01T00:00:00+00:00',
          inferenceProfileArn: inferenceProfileArn(region, profileId),
          models,
          inferenceProfileId: profileId,
          status: 'ACTIVE',
          type: 'SYSTEM_DEFINED',
        });
      }
    }
  }

  // The us-east-1 recording also lists context-window variants (`:8k`, `:mm`) that the scan folded away; serve them
  // verbatim so clients meet the real quirks.
  const usEast1 = regions.get('us-east-1');
  if (usEast1) {
    const present = new Set(usEast1.models.map((model) => model.modelId));
    for (const recorded of recordedModels) if (!present.has(recorded.modelId)) usEast1.models.push(recorded);
  }

  for (const data of regions.values()) {
    for (const model of data.models) data.modelsById.set(model.modelId, model);
    for (const profile of data.profiles) data.profilesById.set(profile.inferenceProfileId, profile);
  }

  return {
    regions,
    notEnabledRegions: COMMERCIAL_REGIONS.filter((region) => !regions.has(region)),
  };
}
