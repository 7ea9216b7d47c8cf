import type { CatalogDocument } from '../../../src-shared/catalog/document';
import { cellRoute } from '../../../src-shared/catalog/queries';
import { QUOTA_ROUTE_KINDS, type QuotaRouteKind, type QuotaUnit, type QuotaValue, type RouteQuotas, type UnmatchedQuota } from '../../../src-shared/catalog/quotas';
import { bestFits, chooseModel, readModel, type ModelReadings } from './model-names';
import { parseQuotaName, type InferenceQuotaName } from './quota-names';

/**
 * Ties one region's quotas to the catalog's routes from that region: each inference quota to the model its name
 * means and to the routes of the kind it limits (the model id on demand, the geo profile ids, the global profile
 * id). Every route the catalog offers from the region is listed, with no quota fields where none was found.
 */

/** One quota of a region as Service Quotas reads it: applied (ListServiceQuotas) and default (ListAWSDefaultServiceQuotas). */
export interface QuotaReading {
  quotaCode: string;
  quotaName: string;
  /** null when only the default is known (ListServiceQuotas lists only quotas with an applied value). */
  applied: number | null;
  default: number | null;
  adjustable: boolean;
}

export interface TiedRegion {
  routes: RouteQuotas[];
  unmatched: UnmatchedQuota[];
}

interface Route {
  modelId: string;
  invokeId: string;
  routeKind: QuotaRouteKind;
}

const KIND_ORDER = new Map(QUOTA_ROUTE_KINDS.map((kind, index) => [kind, index]));

/** Every route of a model from a region, as the catalog offers it: on demand, then geo profiles, then global ones. */
export function routesFrom(document: CatalogDocument, modelId: string, region: string): Route[] {
  const cell = cellRoute(document, modelId, region);
  return [
    ...(cell.onDemand ? [{ modelId, invokeId: modelId, routeKind: 'on-demand' as const }] : []),
    ...cell.geoProfiles.map((invokeId) => ({ modelId, invokeId, routeKind: 'geo-profile' as const })),
    ...cell.globalProfiles.map((invokeId) => ({ modelId, invokeId, routeKind: 'global-profile' as const })),
  ];
}

function scaled(value: number | null, factor: number): number | null {
  return value === null ? null : value * factor;
}

const slotKey = (route: Route, variant: string | undefined) => `${route.invokeId}\u0000${route.routeKind}\u0000${variant ?? ''}`;

/** Matches quota names to one catalog's models; a name is read once however many regions carry it. */
export class QuotaMatcher {
  private readonly models: ModelReadings[];
  private readonly fits = new Map<string, string[]>();
  private readonly names = new Map<string, InferenceQuotaName | null>();

  constructor(private readonly document: CatalogDocument) {
    this.models = Object.values(document.models).map(readModel);
  }

  parse(quotaName: string): InferenceQuotaName | null {
    if (!this.names.has(quotaName)) this.names.set(quotaName, parseQuotaName(quotaName));
    return this.names.get(quotaName)!;
  }

  /** The catalog models a quota's model name fits best (more than one when they tie). */
  bestFits(modelName: string): string[] {
    let fits = this.fits.get(modelName);
    if (!fits) {
      fits = bestFits(modelName, this.models);
      this.fits.set(modelName, fits);
    }
    return fits;
  }

  tie(region: string, readings: readonly QuotaReading[]): TiedRegion {
    const routesOf = new Map<string, Route[]>();
    const routes = (modelId: string) => {
      let found = routesOf.get(modelId);
      if (!found) routesOf.set(modelId, (found = routesFrom(this.document, modelId, region)));
      return found;
    };
    const slots = new Map<string, RouteQuotas>();
    for (const modelId of Object.keys(this.document.models)) {
      for (const route of routes(modelId)) slots.set(slotKey(route, undefined), { ...route });
    }
    const unmatched: UnmatchedQuota[] = [];
    /** What each route and unit is claimed by: a route's own quota goes before one that follows from another's wording. */
    const claims = new Map<string, { slot: RouteQuotas; unit: QuotaUnit; values: QuotaValue[]; listed: UnmatchedQuota[] }>();
    for (const reading of [...readings].sort((a, b) => a.quotaCode.localeCompare(b.quotaCode))) {
      const parsed = this.parse(reading.quotaName);
      if (!parsed) continue;
      const fits = this.bestFits(parsed.modelName);
      const listed: UnmatchedQuota = { region, quotaCode: reading.quotaCode, quotaName: reading.quotaName, value: reading.applied ?? reading.default };
      if (fits.length === 0) {
        unmatched.push({ ...listed, reason: 'its name fits no model of the catalog' });
        continue;
      }
      const ambiguous = new Set<string>();
      for (const application of parsed.appliesTo) {
        // Among the best fits, the quota is carried by the model with a route of its kind from here.
        const match = chooseModel(fits, (modelId) => routes(modelId).some((route) => route.routeKind === application.routeKind));
        if (match.kind === 'ambiguous') for (const candidate of match.candidates) ambiguous.add(candidate);
        if (match.kind !== 'matched') continue;
        for (const route of routes(match.modelId).filter((candidate) => candidate.routeKind === application.routeKind)) {
          const key = slotKey(route, parsed.variant);
          const slot = slots.get(key) ?? { ...route, ...(parsed.variant ? { variant: parsed.variant } : {}) };
          slots.set(key, slot);
          const claim = claims.get(`${key}\u0000${parsed.unit}`) ?? { slot, unit: parsed.unit, values: [], listed: [] };
          claims.set(`${key}\u0000${parsed.unit}`, claim);
          if (claim.values.some((value) => value.quotaCode === reading.quotaCode)) continue;
          claim.listed.push(listed);
          claim.values.push({
            applied: scaled(reading.applied, application.factor),
            default: scaled(reading.default, application.factor),
            quotaCode: reading.quotaCode,
            adjustable: reading.adjustable,
            quotaName: reading.quotaName,
            ...(application.note ? { note: application.note } : {}),
          });
        }
      }
      if (ambiguous.size > 0) {
        const candidates = [...ambiguous].sort();
        unmatched.push({ ...listed, candidates, reason: `its name fits ${candidates.length} models equally (${candidates.join(', ')}): not guessed` });
      }
    }
    for (const { slot, unit, values, listed } of claims.values()) {
      const own = values.filter((value) => value.note === undefined);
      const strongest = own.length > 0 ? own : values;
      if (strongest.length === 1) {
        slot[unit] = strongest[0]!;
        continue;
      }
      // Two quotas for one route and unit: which one limits it is not guessed.
      const codes = strongest.map((value) => value.quotaCode);
      const reason = `${codes.join(' and ')} both name ${slot.invokeId} (${slot.routeKind}${slot.variant ? `, ${slot.variant}` : ''}) ${unit}: which one applies is not guessed`;
      for (const entry of listed.filter((candidate) => codes.includes(candidate.quotaCode))) {
        if (!unmatched.some((known) => known.quotaCode === entry.quotaCode && known.reason === reason)) unmatched.push({ ...entry, reason });
      }
    }
    const ordered = [...slots.values()].sort(
      (a, b) =>
        a.modelId.localeCompare(b.modelId) ||
        KIND_ORDER.get(a.routeKind)! - KIND_ORDER.get(b.routeKind)! ||
        a.invokeId.localeCompare(b.invokeId) ||
        (a.variant ?? '').localeCompare(b.variant ?? ''),
    );
    return { routes: ordered, unmatched };
  }
}
