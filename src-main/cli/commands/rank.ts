import { Command, InvalidArgumentError, Option } from 'commander';
import { COMMERCIAL_REGIONS, isCommercialRegion } from '../../../src-shared/regions';
import { addAwsOptions, addCatalogOptions } from '../options';
import { UsageError, type CommandIo } from '../io';
import { openCommandCore } from '../command-core';

/** `bedrock-atlas rank`: a target's routes from a home region, by measured p50 TTFT, then by access type. */

function parseRegion(value: string): string {
  const region = value.trim().toLowerCase();
  if (!isCommercialRegion(region)) throw new InvalidArgumentError(`Unknown region "${value}". Valid choices: ${COMMERCIAL_REGIONS.join(', ')}`);
  return region;
}

export function rankCommand(io: CommandIo, version: string): Command {
  const command = new Command('rank')
    .description("a model's routes from your region, fastest measured first")
    .requiredOption('--target <id>', 'a model id or name, or an inference profile id')
    .addOption(new Option('--from <region>', 'your home region (default: AWS_REGION, else us-east-1)').argParser(parseRegion))
    .addOption(new Option('--json', 'print the routes as JSON'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (opts: Record<string, unknown>) => {
    const envRegion = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    const from = (opts.from as string | undefined) ?? (envRegion && isCommercialRegion(envRegion) ? envRegion : 'us-east-1');
    const core = await openCommandCore(opts, io, version);
    try {
      const { routes } = await core.handlers.rankRoutes({ target: opts.target as string, from }, { signal: new AbortController().signal }).catch((error: Error & { code?: string }) => {
        throw error.code === 'UNKNOWN_TARGET' ? new UsageError(error.message) : error;
      });
      if (opts.json) {
        io.stdout(JSON.stringify({ routes }, null, 2));
        return;
      }
      if (routes.length === 0) io.stdout(`No route from ${from}: the model is not callable on demand or through a profile from there.`);
      routes.forEach((route, index) => {
        const figure = route.ttftP50Ms === null ? 'not measured' : `p50 TTFT ${Math.round(route.ttftP50Ms)} ms (${route.samples} samples)`;
        io.stdout(`${String(index + 1).padStart(2)}. ${route.invokeId}  call ${route.callRegion}  ${route.kind}  ${figure}`);
        io.stdout(`    ${route.reason}`);
      });
    } finally {
      core.close();
    }
  });
}
