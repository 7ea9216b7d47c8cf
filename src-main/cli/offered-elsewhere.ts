import type { CatalogDocument } from '../../src-shared/catalog/document';
import { getModel, whereToCall, type CallHow } from '../../src-shared/catalog/queries';

const CALLABLE: CallHow[] = ['on-demand', 'geo-profile', 'global-profile'];
const HOW: Partial<Record<CallHow, string>> = { 'on-demand': 'on demand', 'geo-profile': 'geo profile', 'global-profile': 'global profile' };

/**
 * Where a target is offered, as `where` says it, for a run narrowed to regions that do not offer it: the regions
 * where it is callable and how, or null when the whole catalog does not know it either.
 */
export function offeredElsewhere(document: CatalogDocument, target: string): { modelId: string; lines: string[]; regions: string[] } | null {
  const model = getModel(document, target);
  if (!model) return null;
  const where = whereToCall(document, model.modelId);
  const callable = Object.entries(where.regions).filter(([, call]) => CALLABLE.includes(call.how));
  return {
    modelId: model.modelId,
    regions: callable.map(([region]) => region),
    lines: callable.map(([region, call]) => `  ${region.padEnd(15)}  ${HOW[call.how]}: ${call.invokeIds.join(', ')}`),
  };
}
