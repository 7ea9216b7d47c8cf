import { Command, Option } from 'commander';
import type { CatalogSnapshot } from '../../../src-shared/contract';
import type { AtlasEvent } from '../../../src-shared/events';
import { cellRoute } from '../../../src-shared/catalog/queries';
import { createAtlasCore } from '../../core/app/atlas-core';
import { addAwsOptions, addCatalogOptions, readAwsOptions, readCatalogOptions } from '../options';
import { BUNDLED_CATALOG, projectFile } from '../project-files';
import type { CommandIo } from '../io';
import { describeAge } from '../../../src-shared/describe-age';

export function progressLine(event: AtlasEvent): string | null {
  if (event.type !== 'catalog.progress') return null;
  const { region, phase, completed, total } = event.payload;
  const position = `[${String(completed).padStart(2)}/${total}]`;
  if (phase === 'done') {
    return `${position} ${region.padEnd(15)} ok      ${event.payload.modelCount} models, ${event.payload.profileCount} profiles, ${event.payload.durationMs} ms`;
  }
  if (phase === 'failed') return `${position} ${region.padEnd(15)} FAILED  ${event.payload.error?.code}: ${event.payload.error?.message}`;
  return null;
}

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
  return lines;
}

export function catalogCommand(io: CommandIo, version: string): Command {
  const command = new Command('catalog')
    .description('discover which model can be called from which region, and how (prints a summary, or the catalog document with --json)')
    .addOption(new Option('--refresh', 'ignore the cache and scan the regions now'))
    .addOption(new Option('--json', 'print the catalog document on stdout'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (opts: Record<string, unknown>) => {
    const aws = readAwsOptions(opts);
    const cache = readCatalogOptions(opts);
    const core = await createAtlasCore({
      name: 'bedrock-atlas',
      version,
      transport: 'web',
      settingsPath: null,
      overrides: {
        ...(aws.regions ? { regions: aws.regions } : {}),
        awsProfile: aws.profile,
        cacheMode: cache.cacheMode,
        cacheDir: cache.cacheDir,
        maxAgeHours: cache.maxAgeHours,
      },
      endpointUrl: aws.endpointUrl,
      bundledPath: cache.bundled ? projectFile(BUNDLED_CATALOG) : null,
      log: (line) => io.stderr(line),
    });
    const unsubscribe = core.events.subscribe((event) => {
      const line = progressLine(event);
      if (line) io.stderr(line);
    });
    try {
      const snapshot = await core.catalog().get({ fresh: opts.refresh === true });
      for (const warning of snapshot.meta.warnings) io.stderr(`warning: ${warning}`);
      io.stderr(`source: ${snapshot.meta.source}${snapshot.meta.simulated ? ' (simulated)' : ''}, data from ${snapshot.document.generatedAt} (${describeAge(snapshot.meta.ageMs)})${snapshot.meta.cachePath ? `, cache ${snapshot.meta.cachePath}` : ''}`);
      if (opts.json) io.stdout(JSON.stringify(snapshot.document, null, 2));
      else for (const line of summary(snapshot)) io.stdout(line);
    } finally {
      unsubscribe();
      core.close();
    }
  });
}
