import type { EmulatorData, FoundationModelSummaryWire, InferenceProfileWire, RegionData } from './bedrock-data';
import { BedrockError, MESSAGES, validation } from './wire';

/** How an identifier (model id, model ARN, profile id, profile ARN) resolves in one region, as Bedrock does it. */

export function findModel(regionData: RegionData, identifier: string): FoundationModelSummaryWire | undefined {
  const arnMatch = /^arn:aws:bedrock:[a-z0-9-]*::foundation-model\/(.+)$/.exec(identifier);
  return regionData.modelsById.get(arnMatch?.[1] ?? identifier);
}

export function findProfile(regionData: RegionData, identifier: string): InferenceProfileWire | undefined {
  const arnMatch = /^arn:aws:bedrock:([a-z0-9-]+):\d{12}:inference-profile\/(.+)$/.exec(identifier);
  if (arnMatch) {
    const [, region, profileId = ''] = arnMatch; // both groups always take part in a match
    return region === regionData.region ? regionData.profilesById.get(profileId) : undefined;
  }
  return regionData.profilesById.get(identifier);
}

/** The model a runtime call reaches, or the exact error Bedrock gives for that identifier in that region. */
export function resolveInvocationTarget(data: EmulatorData, regionData: RegionData, identifier: string): FoundationModelSummaryWire {
  const profile = findProfile(regionData, identifier);
  if (profile) {
    const modelId = (profile.models.at(-1)?.modelArn ?? '').split('/').slice(1).join('/');
    const model = regionData.modelsById.get(modelId) ?? anyRegionModel(data, modelId);
    if (!model) throw new BedrockError(500, 'InternalServerException', `Profile ${identifier} names no known model.`);
    return model;
  }
  if (identifier.includes(':inference-profile/')) throw validation(MESSAGES.invalidModel);
  const model = findModel(regionData, identifier);
  if (!model) throw validation(MESSAGES.invalidModel);
  if (!model.inferenceTypesSupported.includes('ON_DEMAND')) throw validation(MESSAGES.onDemandUnsupported(model.modelId));
  return model;
}

export function anyRegionModel(data: EmulatorData, modelId: string): FoundationModelSummaryWire | undefined {
  for (const regionData of data.regions.values()) {
    const model = regionData.modelsById.get(modelId);
    if (model) return model;
  }
  return undefined;
}
