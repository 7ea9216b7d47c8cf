import type { EmulatorData, RegionData } from './bedrock-data';
import { matchesModel, matchesRegion, type Operation, type Scenario } from './scenario';
import { anyRegionModel, findModel, findProfile } from './targets';
import { BedrockError, validation } from './wire';

/** The `bedrock` control plane: model and profile listings, lookups and model access, per region. */

/** AWS may return fewer items than maxResults; pages here hold at most this many so paging is always exercised. */
const PAGE_CAP = 25;

export function isAccessDenied(scenario: Scenario, region: string, modelId: string): boolean {
  return scenario.accessDenied.some((rule) => matchesRegion(rule.region, region) && matchesModel(rule.modelId, modelId));
}

export class ControlPlane {
  /** The unfiltered ListFoundationModels body per region, serialised once: it is the largest answer by far. */
  private readonly listCache = new Map<string, string>();

  constructor(private readonly data: EmulatorData) {}

  /** The JSON body (object or pre-serialised text) answering a control-plane operation. */
  answer(operation: Operation, regionData: RegionData, identifier: string, query: URLSearchParams, scenario: Scenario): unknown {
    switch (operation) {
      case 'ListFoundationModels':
        return this.listFoundationModels(regionData, query);
      case 'GetFoundationModel': {
        const model = findModel(regionData, identifier);
        if (!model) throw new BedrockError(404, 'ResourceNotFoundException', `Could not find model ${identifier}.`);
        return { modelDetails: model };
      }
      case 'ListInferenceProfiles':
        return listInferenceProfiles(regionData, query);
      case 'GetInferenceProfile': {
        const profile = findProfile(regionData, identifier);
        if (!profile) throw new BedrockError(404, 'ResourceNotFoundException', `Inference profile ${identifier} not found.`);
        return profile;
      }
      case 'GetFoundationModelAvailability':
        return this.availability(regionData, identifier, scenario);
      default:
        throw new Error(`${operation} is not a control-plane operation`);
    }
  }

  private listFoundationModels(regionData: RegionData, query: URLSearchParams): unknown {
    const byProvider = query.get('byProvider')?.toLowerCase();
    const byCustomization = query.get('byCustomizationType');
    const byOutput = query.get('byOutputModality');
    const byInference = query.get('byInferenceType');
    if (!byProvider && !byCustomization && !byOutput && !byInference) {
      let cached = this.listCache.get(regionData.region);
      if (!cached) this.listCache.set(regionData.region, (cached = JSON.stringify({ modelSummaries: regionData.models })));
      return cached;
    }
    const modelSummaries = regionData.models.filter(
      (model) =>
        (!byProvider || model.providerName.toLowerCase() === byProvider || model.modelId.startsWith(`${byProvider}.`)) &&
        (!byCustomization || model.customizationsSupported.includes(byCustomization)) &&
        (!byOutput || model.outputModalities.includes(byOutput)) &&
        (!byInference || model.inferenceTypesSupported.includes(byInference)),
    );
    return { modelSummaries };
  }

  private availability(regionData: RegionData, identifier: string, scenario: Scenario) {
    const region = regionData.region;
    const model = findModel(regionData, identifier);
    const known = model ?? anyRegionModel(this.data, identifier);
    if (!known) throw new BedrockError(404, 'ResourceNotFoundException', `The model ${identifier} was not found.`);
    const pending = scenario.agreementPending.some(
      (rule) => matchesRegion(rule.region, region) && matchesModel(rule.modelId, known.modelId),
    );
    return {
      modelId: known.modelId,
      agreementAvailability: { status: pending ? 'PENDING' : 'AVAILABLE' },
      authorizationStatus: isAccessDenied(scenario, region, known.modelId) ? 'NOT_AUTHORIZED' : 'AUTHORIZED',
      entitlementAvailability: 'AVAILABLE',
      regionAvailability: model ? 'AVAILABLE' : 'NOT_AVAILABLE',
    };
  }
}

function listInferenceProfiles(regionData: RegionData, query: URLSearchParams) {
  const type = query.get('type');
  if (type !== null && type !== 'SYSTEM_DEFINED' && type !== 'APPLICATION') {
    throw validation(
      `1 validation error detected: Value '${type}' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [APPLICATION, SYSTEM_DEFINED]`,
    );
  }
  const maxResults = query.has('maxResults') ? Number(query.get('maxResults')) : 1000;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
    throw validation(
      `1 validation error detected: Value '${query.get('maxResults')}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const all = type === 'APPLICATION' ? [] : regionData.profiles;
  let offset = 0;
  const token = query.get('nextToken');
  if (token !== null) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > all.length) throw validation('The pagination token is invalid.');
    offset = decoded;
  }
  const size = Math.min(maxResults, PAGE_CAP);
  const page = all.slice(offset, offset + size);
  const next = offset + size < all.length ? Buffer.from(`offset:${offset + size}`).toString('base64url') : undefined;
  return { inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) };
}
