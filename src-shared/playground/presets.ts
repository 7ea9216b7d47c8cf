import type { CatalogDocument } from '../catalog/document';
import { bestProfile } from '../catalog/resolve-route';
import { cellRoute, getModel, howToCall, whereToCall } from '../catalog/queries';
import { regionGroupOf } from '../regions';
import { isChatModel } from './model-options';

/**
 * The compare presets: from the first pane's model and region, the panes that answer one question each.
 * Every pane they make is callable as set (no pane is born needing a profile).
 */

export interface PaneRoute {
  target: string;
  region: string;
}

export const PRESETS = [
  { id: 'regions', label: 'Same model across regions' },
  { id: 'direct-vs-profile', label: 'Direct vs profile in one region' },
  { id: 'models', label: 'Same region, different models' },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

export class PresetUnavailable extends Error {
  override readonly name = 'PresetUnavailable';
}

const MAX_PANES = 4;

/** Up to four regions where the model can be called, the home region first, then one per geography. */
function acrossRegions(document: CatalogDocument, modelId: string, home: string): PaneRoute[] {
  // Each callable region with the first id to call there.
  const callable = Object.entries(whereToCall(document, modelId).regions).flatMap(([region, call]): [string, string][] => {
    const [first] = call.invokeIds;
    return first === undefined ? [] : [[region, first]];
  });
  const ordered = [...callable.filter(([region]) => region === home), ...callable.filter(([region]) => region !== home)];
  const picked: [string, string][] = [];
  const groups = new Set<string | undefined>();
  for (const [region, invokeId] of ordered) {
    if (picked.length === MAX_PANES) break;
    const group = regionGroupOf(region);
    if (groups.has(group) && region !== home) continue;
    groups.add(group);
    picked.push([region, invokeId]);
  }
  for (const [region, invokeId] of ordered) if (picked.length < MAX_PANES && !picked.some(([chosen]) => chosen === region)) picked.push([region, invokeId]);
  return picked.map(([region, invokeId]) => ({ target: invokeId, region }));
}

function directVsProfile(document: CatalogDocument, modelId: string, region: string): PaneRoute[] {
  const route = cellRoute(document, modelId, region);
  const panes = [
    ...(route.onDemand ? [{ target: modelId, region }] : []),
    ...route.geoProfiles.slice(0, 2).map((target) => ({ target, region })),
    ...route.globalProfiles.slice(0, 1).map((target) => ({ target, region })),
  ];
  if (panes.length < 2) throw new PresetUnavailable(`${modelId} has only one route from ${region}: nothing to compare it with. Try another region.`);
  return panes.slice(0, MAX_PANES);
}

/** The first pane's model, then chat models from other providers callable in the region (active ones first). */
function differentModels(document: CatalogDocument, modelId: string, region: string): PaneRoute[] {
  const invoke = (id: string) => {
    const call = howToCall(document, id, region);
    return call.how === 'on-demand' ? id : (bestProfile(document, id, region) ?? null);
  };
  const first = invoke(modelId);
  const panes: PaneRoute[] = first ? [{ target: first, region }] : [];
  const providers = new Set([document.models[modelId]?.providerName]);
  const candidates = Object.values(document.models)
    .filter((model) => isChatModel(model) && model.streaming === true && model.modelId.split(':').length <= 2 && model.modelId !== modelId)
    .sort((a, b) => Number(a.lifecycle !== 'ACTIVE') - Number(b.lifecycle !== 'ACTIVE') || a.modelId.localeCompare(b.modelId));
  for (const model of candidates) {
    if (panes.length === MAX_PANES) break;
    if (providers.has(model.providerName)) continue;
    const target = invoke(model.modelId);
    if (!target) continue;
    providers.add(model.providerName);
    panes.push({ target, region });
  }
  if (panes.length < 2) throw new PresetUnavailable(`No other chat model is callable from ${region}.`);
  return panes;
}

export function applyPreset(document: CatalogDocument, preset: PresetId, from: PaneRoute): PaneRoute[] {
  const model = getModel(document, from.target);
  if (!model) throw new PresetUnavailable(`Choose a model in the first pane first: "${from.target}" is not in the catalog.`);
  if (preset === 'regions') {
    const panes = acrossRegions(document, model.modelId, from.region);
    if (panes.length < 2) throw new PresetUnavailable(`${model.modelId} is callable in only one region.`);
    return panes;
  }
  return preset === 'direct-vs-profile' ? directVsProfile(document, model.modelId, from.region) : differentModels(document, model.modelId, from.region);
}

