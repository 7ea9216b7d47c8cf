import type { FoundationModelSummary, InferenceProfileSummary } from '@aws-sdk/client-bedrock';
import {
  CATALOG_SCHEMA_VERSION,
  type CatalogDocument,
  type CatalogModel,
  type CatalogProfile,
  type RegionStatus,
} from '../../../src-shared/catalog/document';
import type { RegionScan } from './discovery';

/**
 * Folds per-region API answers into the catalog document. Real data has quirks (unknown enum values such as
 * INFERENCE_PROFILE, missing fields, context-window ids like `:8k`): everything listed is kept as listed.
 */

/** `arn:aws:bedrock:eu-west-1::foundation-model/x` -> { region: 'eu-west-1', modelId: 'x' }; region '' for global ARNs. */
export function parseFoundationModelArn(arn: string): { region: string; modelId: string } | null {
  const match = /^arn:[a-z-]+:bedrock:([a-z0-9-]*):[0-9]*:foundation-model\/(.+)$/.exec(arn);
  if (!match) return null;
  const [, region = '', modelId = ''] = match; // both groups always take part in a match
  return { region, modelId };
}

export function profileScope(profileId: string): string {
  const dot = profileId.indexOf('.');
  return dot > 0 ? profileId.slice(0, dot) : '';
}

function modelFromSummary(summary: FoundationModelSummary): CatalogModel {
  const modelId = summary.modelId ?? '';
  return {
    modelId,
    modelName: summary.modelName ?? modelId,
    providerName: summary.providerName ?? modelId.split('.')[0] ?? modelId,
    inputModalities: [...(summary.inputModalities ?? [])],
    outputModalities: [...(summary.outputModalities ?? [])],
    streaming: summary.responseStreamingSupported ?? null,
    lifecycle: summary.modelLifecycle?.status ?? 'UNKNOWN',
    regions: {},
  };
}

function profileModelId(profile: InferenceProfileSummary): string {
  for (const { modelArn } of profile.models ?? []) {
    const parsed = modelArn ? parseFoundationModelArn(modelArn) : null;
    if (parsed) return parsed.modelId;
  }
  const id = profile.inferenceProfileId ?? '';
  return id.slice(profileScope(id).length + 1);
}

export interface BuildOptions {
  generatedAt: Date;
  /** When the scans were taken (`fetchedAt`, `failedAt`); the document's time unless a late region is merged in. */
  scannedAt?: Date;
  /** Regions not scanned this time, or that failed, keep what this document knew about them. */
  previous?: CatalogDocument | null;
  origin?: CatalogDocument['origin'];
}

/**
 * A region that failed this time: when and why, and what the previous document knew about it ("last known"):
 * its counts, and when that data was fetched.
 */
function failedStatus(
  scan: Extract<RegionScan, { ok: false }>,
  failedAt: string,
  before: { status: RegionStatus; generatedAt: string } | null,
): RegionStatus {
  const status = before?.status;
  const lastKnownAt = before?.status.status === 'ok' ? (before.status.fetchedAt ?? before.generatedAt) : status?.lastKnownAt;
  return {
    status: 'error',
    error: scan.error,
    durationMs: scan.durationMs,
    failedAt,
    ...(lastKnownAt ? { lastKnownAt } : {}),
    ...(status?.modelCount !== undefined ? { modelCount: status.modelCount } : {}),
    ...(status?.profileCount !== undefined ? { profileCount: status.profileCount } : {}),
  };
}

export function buildCatalogDocument(scans: readonly RegionScan[], options: BuildOptions): CatalogDocument {
  const previous = options.previous ?? null;
  const scannedAt = (options.scannedAt ?? options.generatedAt).toISOString();
  const scanned = new Map(scans.map((scan) => [scan.region, scan]));
  const document: CatalogDocument = {
    schemaVersion: CATALOG_SCHEMA_VERSION,
    generatedAt: options.generatedAt.toISOString(),
    source: 'api',
    regions: {},
    models: {},
    profiles: {},
    ...(previous?.access ? { access: previous.access } : {}),
    // Quotas are refreshed on their own (the quotas feature); a new scan keeps the section as it was.
    ...(previous?.quotas ? { quotas: previous.quotas } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
  };

  // What the previous document knew about regions that this scan did not refresh successfully.
  const keptRegions = new Set<string>();
  if (previous) {
    for (const [region, status] of Object.entries(previous.regions)) {
      const scan = scanned.get(region);
      if (scan?.ok) continue;
      keptRegions.add(region);
      document.regions[region] = scan && !scan.ok ? failedStatus(scan, scannedAt, { status, generatedAt: previous.generatedAt }) : status;
    }
    for (const [modelId, model] of Object.entries(previous.models)) {
      const regions = Object.fromEntries(Object.entries(model.regions).filter(([region]) => keptRegions.has(region)));
      if (Object.keys(regions).length > 0) document.models[modelId] = { ...model, regions };
    }
    for (const [profileId, profile] of Object.entries(previous.profiles)) {
      const routes = Object.fromEntries(Object.entries(profile.routes).filter(([region]) => keptRegions.has(region)));
      if (Object.keys(routes).length > 0) document.profiles[profileId] = { ...profile, routes };
    }
  }

  for (const scan of scans) {
    if (!scan.ok) {
      if (!keptRegions.has(scan.region)) {
        document.regions[scan.region] = failedStatus(scan, scannedAt, null);
      }
      continue;
    }
    document.regions[scan.region] = {
      status: 'ok',
      modelCount: scan.models.length,
      profileCount: scan.profiles.length,
      durationMs: scan.durationMs,
      fetchedAt: scannedAt,
    };
    const profilesByModel = new Map<string, string[]>();
    for (const summary of scan.profiles) {
      const profileId = summary.inferenceProfileId;
      if (!profileId) continue;
      const modelId = profileModelId(summary);
      const scope = profileScope(profileId);
      const destinations: string[] = [];
      let listsRegionlessArn = false;
      for (const { modelArn } of summary.models ?? []) {
        const parsed = modelArn ? parseFoundationModelArn(modelArn) : null;
        if (!parsed) continue;
        if (parsed.region === '') listsRegionlessArn = true;
        else if (!destinations.includes(parsed.region)) destinations.push(parsed.region);
      }
      const existing: CatalogProfile = document.profiles[profileId] ?? {
        profileId,
        name: summary.inferenceProfileName ?? profileId,
        description: summary.description ?? '',
        scope,
        modelId,
        routes: {},
      };
      existing.routes[scan.region] = destinations;
      if (scope === 'global' || listsRegionlessArn) existing.global = true;
      document.profiles[profileId] = existing;
      profilesByModel.set(modelId, [...(profilesByModel.get(modelId) ?? []), profileId]);
    }
    for (const summary of scan.models) {
      if (!summary.modelId) continue;
      const model = (document.models[summary.modelId] ??= modelFromSummary(summary));
      const types = (summary.inferenceTypesSupported ?? []) as string[];
      model.regions[scan.region] = {
        onDemand: types.includes('ON_DEMAND'),
        provisioned: types.includes('PROVISIONED'),
        profiles: profilesByModel.get(summary.modelId) ?? [],
      };
    }
  }
  return document;
}
