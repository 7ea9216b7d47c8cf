import { Command, Option } from 'commander';
import type { CatalogSnapshot } from '../../../src-shared/contract';
import { cellRoute } from '../../../src-shared/catalog/queries';
import { describeAge } from '../../../src-shared/describe-age';
import { addAwsOptions, addCatalogOptions } from '../options';
import { loadCatalog } from '../catalog-session';
import type { CommandIo } from '../io';

function summary({ document, meta }: CatalogSnapshot): string[] {
  const regions = Object.entries(document.regions);
  const failed = regions.filter(([, status]) => status.status === 'error');
  const models = Object.values(document.models);
  const profileOnly = models.filter((model) =>
    Object.keys(model.regions).some((region) => cellRoute(document, model.modelId, region).profileOnly),
  ).length;
  const lines = [
    `Bedrock catalog: source ${meta.source}${meta.simulated ? ' (simulated by the emulator)' : ''}, fetched ${document.generatedAt} (${describeAge(meta.ageMs)})`,
    `Regions: ${regions.length - failed.length} ok, ${failed.length} failed`,
    ...failed.map(([region, status]) => `  ${region.padEnd(15)} ${status.error?.code}: ${status.error?.message}`),
    `Models: ${models.length} (${profileOnly} callable only through an inference profile in some region)`,
    `Inference profiles: ${Object.keys(document.profiles).length}`,
  ];
  const providers = new Map<string, number>();
  for (const model of models) providers.set(model.providerName, (providers.get(model.providerName) ?? 0) + 1);
  lines.push(
    'Providers: ' +
      [...providers.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([name, count]) => `${name} ${count}`)
        .join(', '),
  );
  lines.push('', 'Next: `bedrock-atlas where MODEL` for one model in every region, `bedrock-atlas web` for the dashboard.');
  return lines;
}

export function catalogCommand(io: CommandIo, version: string): Command {
  const command = new Command('catalog')
    .description('discover which model can be called from which region, and how (prints a summary, or the catalog document with --json)')
    .addOption(new Option('--refresh', 'ignore the cache and scan the regions now'))
    .addOption(new Option('--json', 'print the catalog document on stdout'))
    .addHelpText(
      'after',
      `
Without an option it prints a summary of the cached catalog (scanning every region when there is no valid cache).

Examples:
  bedrock-atlas catalog                                   summary: regions ok/failed, models, providers
  bedrock-atlas catalog --json > catalog.json             the whole catalog document
  bedrock-atlas catalog --refresh --regions us-east-1,eu-west-1 --profile work
  bedrock-atlas catalog --endpoint-url http://127.0.0.1:4010 --cache-mode none   against the emulator`,
    );
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (opts: Record<string, unknown>) => {
    const snapshot = await loadCatalog(opts, io, version, opts.refresh === true);
    if (opts.json) io.stdout(JSON.stringify(snapshot.document, null, 2));
    else for (const line of summary(snapshot)) io.stdout(line);
  });
}
