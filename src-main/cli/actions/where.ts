import type { CatalogDocument } from '../../../src-shared/catalog/document';
import type { RankedRoute } from '../../../src-shared/contract';
import { bestRegions, getModel, listModels, whereToCall, type CallHow, type ModelWhereabouts } from '../../../src-shared/catalog/queries';
import { formatTable } from '../table';
import type { ActionContext } from '../lazy-action';
import { loadCatalog } from '../catalog-session';
import { openCommandCore } from '../command-core';
import { UsageError } from '../io';
import { loadPrices, modelRouteLines, priceTableLine, routesOfModel, type ModelRoute } from './prices';

const HOW_LABEL: Record<CallHow, string> = {
  'on-demand': 'on demand',
  'geo-profile': 'geo profile',
  'global-profile': 'global profile',
  provisioned: 'provisioned only',
  listed: 'listed only',
  none: 'not offered',
  unknown: 'unknown',
};

const KIND_LABEL: Record<RankedRoute['kind'], string> = {
  'on-demand': 'on demand',
  'geo-profile': 'geo profile',
  'global-profile': 'global profile',
};

/** What the user sees beside "how": the ids to invoke, or why there are none. */
function invokeColumn(document: CatalogDocument, region: string, how: CallHow, invokeIds: string[]): string {
  switch (how) {
    case 'unknown':
      return `scan failed: ${document.regions[region]?.error?.code ?? 'no answer'}`;
    case 'provisioned':
      return 'buy Provisioned Throughput, then invoke its ARN';
    case 'listed':
      return 'listed without on-demand, profile or provisioned use';
    case 'none':
      return '–';
    default:
      return invokeIds.join(', ');
  }
}

function regionTable(document: CatalogDocument, where: ModelWhereabouts): string[] {
  const rows = Object.entries(where.regions).map(([region, call]) => [region, HOW_LABEL[call.how], invokeColumn(document, region, call.how, call.invokeIds)]);
  const calls = Object.values(where.regions);
  const count = (...hows: CallHow[]) => calls.filter((call) => hows.includes(call.how)).length;
  const unknown = count('unknown');
  const reasons = new Map<string, string[]>();
  for (const [region, call] of Object.entries(where.regions)) {
    const error = call.how === 'unknown' ? document.regions[region]?.error : undefined;
    if (error) reasons.set(`${error.code}: ${error.message}`, [...(reasons.get(`${error.code}: ${error.message}`) ?? []), region]);
  }
  return [
    ...formatTable(['REGION', 'HOW', 'INVOKE WITH'], rows),
    '',
    `Callable in ${count('on-demand', 'geo-profile', 'global-profile')} of ${calls.length} regions: on demand in ${count('on-demand')}, through a profile only in ${count('geo-profile', 'global-profile')}` +
      `${count('provisioned') > 0 ? `; provisioned only in ${count('provisioned')}` : ''}${unknown > 0 ? `; unknown in ${unknown} (scan failed)` : ''}.`,
    ...[...reasons.entries()].map(([reason, regions]) => `Failed scan (${regions.join(', ')}): ${reason}`),
  ];
}

function routeLines(routes: RankedRoute[], from: string): string[] {
  if (routes.length === 0) return [`No route from ${from}: the model is not callable on demand or through a profile from there, nor on demand in another region.`];
  const idWidth = Math.max(...routes.map((route) => route.invokeId.length));
  return routes.flatMap((route, index) => [
    `${String(index + 1).padStart(2)}. ${route.invokeId.padEnd(idWidth)}  call ${route.callRegion.padEnd(14)}  ${KIND_LABEL[route.kind]}`,
    `    ${route.reason}`,
  ]);
}

/** `bedrock-atlas where MODEL`: how the model can be called in every region, or the ranked routes from one. */
export async function whereAction({ opts, operands, shared, io, version }: ActionContext): Promise<void> {
  const query = operands[0] ?? '';
  const { document } = await loadCatalog(shared, io, version, opts.refresh === true);
  const model = getModel(document, query);
  if (!model) {
    const similar = listModels(document, { search: query.split(/\s+/)[0] }).slice(0, 5);
    throw new UsageError(
      `No model matches "${query}" in the catalog.${similar.length > 0 ? ` Similar: ${similar.map((candidate) => candidate.modelId).join(', ')}.` : ''} Ids are listed by \`bedrock-atlas catalog --json\`.`,
    );
  }
  const where = whereToCall(document, model.modelId);
  const from = opts.from as string | undefined;
  const routes = from ? bestRegions(document, model.modelId, from) : [];
  if (from && document.regions[from]?.status === 'error') {
    const error = document.regions[from].error;
    io.stderr(`warning: the scan of ${from} failed (${error?.code}: ${error?.message}); what ${from} itself offers is unknown, routes elsewhere are shown.`);
  }
  const priced = opts.prices === true ? await routePrices(document, model.modelId, from ? routes : null, { shared, io, version }) : null;
  if (opts.json) {
    io.stdout(JSON.stringify({ modelId: where.modelId, regions: where.regions, ...(from ? { from, routes } : {}), ...(priced ? { prices: priced.json } : {}) }, null, 2));
    return;
  }
  io.stdout(`${model.modelName} (${model.modelId}), ${model.providerName}`);
  io.stdout('');
  for (const line of from ? [`Routes from ${from}, best first:`, ...routeLines(routes, from)] : regionTable(document, where)) io.stdout(line);
  if (priced) for (const line of ['', ...priced.lines]) io.stdout(line);
}

/**
 * `where --prices`: the price of every route shown (every region's on-demand and profile routes, or the ranked
 * routes from --from), with the table's date; a route the table does not price reads "unknown".
 */
async function routePrices(
  document: CatalogDocument,
  modelId: string,
  ranked: RankedRoute[] | null,
  { shared, io, version }: Pick<ActionContext, 'shared' | 'io' | 'version'>,
): Promise<{ lines: string[]; json: object }> {
  const core = await openCommandCore(shared, io, version);
  try {
    const answer = await loadPrices(core, modelId, false, io);
    const shown: ModelRoute[] = ranked
      ? ranked.map((route) => ({ region: route.callRegion, invokeId: route.invokeId, kind: route.kind }))
      : routesOfModel(document, modelId, Object.keys(document.regions));
    return { lines: [priceTableLine(answer.table), ...modelRouteLines(shown, answer.prices)], json: { table: answer.table, prices: answer.prices, unused: answer.unused } };
  } finally {
    await core.close();
  }
}
