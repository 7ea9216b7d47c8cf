import { Command, InvalidArgumentError, Option } from 'commander';
import type { CatalogDocument } from '../../../src-shared/catalog/document';
import type { RankedRoute } from '../../../src-shared/contract';
import { bestRegions, getModel, listModels, whereToCall, type CallHow, type ModelWhereabouts } from '../../../src-shared/catalog/queries';
import { COMMERCIAL_REGIONS, isCommercialRegion } from '../../../src-shared/regions';
import { addAwsOptions, addCatalogOptions } from '../options';
import { loadCatalog } from '../catalog-session';
import { UsageError, type CommandIo } from '../io';

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

function parseFromRegion(value: string): string {
  const region = value.trim().toLowerCase();
  if (!isCommercialRegion(region)) {
    throw new InvalidArgumentError(`Unknown region "${value}". Valid choices: ${COMMERCIAL_REGIONS.join(', ')}`);
  }
  return region;
}

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
  const width = (column: number) => Math.max(...[['REGION', 'HOW'][column], ...rows.map((row) => row[column])].map((text) => text.length));
  const [regionWidth, howWidth] = [width(0), width(1)];
  const line = (cells: string[]) => `${cells[0].padEnd(regionWidth)}  ${cells[1].padEnd(howWidth)}  ${cells[2]}`.trimEnd();
  const calls = Object.values(where.regions);
  const count = (...hows: CallHow[]) => calls.filter((call) => hows.includes(call.how)).length;
  const unknown = count('unknown');
  const reasons = new Map<string, string[]>();
  for (const [region, call] of Object.entries(where.regions)) {
    const error = call.how === 'unknown' ? document.regions[region]?.error : undefined;
    if (error) reasons.set(`${error.code}: ${error.message}`, [...(reasons.get(`${error.code}: ${error.message}`) ?? []), region]);
  }
  return [
    line(['REGION', 'HOW', 'INVOKE WITH']),
    ...rows.map(line),
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

export function whereCommand(io: CommandIo, version: string): Command {
  const command = new Command('where')
    .description('where and how one model can be called: every region, or the ranked routes from your region')
    .argument('<model>', 'a model id, ARN, profile id, or a forgiving name ("claude 3 haiku")')
    .addOption(new Option('--from <region>', 'rank the routes from this region, best first').argParser(parseFromRegion))
    .addOption(new Option('--json', 'print {"modelId", "regions": {"<region>": {"how", "invokeIds"}}} (and "from", "routes" with --from)'))
    .addOption(new Option('--refresh', 'ignore the cache and scan the regions now'))
    .addHelpText(
      'after',
      `
"how" per region, best first: on-demand (the bare id works there, whatever profiles exist too), geo-profile,
global-profile, provisioned (Provisioned Throughput only), listed (listed but none of these), none (not listed),
unknown (that region's scan failed).

Examples:
  bedrock-atlas where "claude 3 haiku"
  bedrock-atlas where anthropic.claude-3-haiku-20240307-v1:0 --from eu-west-3
  bedrock-atlas where nova-2-lite --json | jq '.regions["us-east-2"]'`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (query: string, opts: Record<string, unknown>) => {
    const { document } = await loadCatalog(opts, io, version, opts.refresh === true);
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
    if (opts.json) {
      io.stdout(JSON.stringify({ modelId: where.modelId, regions: where.regions, ...(from ? { from, routes } : {}) }, null, 2));
      return;
    }
    io.stdout(`${model.modelName} (${model.modelId}), ${model.providerName}`);
    io.stdout('');
    for (const line of from ? [`Routes from ${from}, best first:`, ...routeLines(routes, from)] : regionTable(document, where)) io.stdout(line);
  });
}
