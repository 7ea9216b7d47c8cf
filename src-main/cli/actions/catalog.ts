import type { CatalogSnapshot } from '../../../src-shared/contract';
import { cellRoute } from '../../../src-shared/catalog/queries';
import { describeAge } from '../../../src-shared/describe-age';
import { loadCatalog } from '../catalog-session';
import type { ActionContext } from '../lazy-action';

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

/** `bedrock-atlas catalog`: the catalog's summary, or its document with --json. */
export async function catalogAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const snapshot = await loadCatalog(shared, io, version, opts.refresh === true);
  if (opts.json) io.stdout(JSON.stringify(snapshot.document, null, 2));
  else for (const line of summary(snapshot)) io.stdout(line);
}
