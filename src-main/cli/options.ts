import { resolve } from 'node:path';
import { Option, InvalidArgumentError, type Command } from 'commander';
import { parseRegionList, type CommercialRegion } from '../../src-shared/regions';

/**
 * Options that several commands share, defined once. Every command that talks to Bedrock adds these with
 * `addAwsOptions(command)` and reads them back with `readAwsOptions(command.opts())`.
 */
export interface AwsOptions {
  /** Send every Bedrock call here instead of AWS (a VPC endpoint, a proxy, or the emulator). */
  endpointUrl: string | null;
  /** AWS named profile; null means the default credential chain (env, shared files, SSO, instance roles). */
  profile: string | null;
  /** null when the user did not narrow the regions. */
  regions: CommercialRegion[] | null;
  /** Where history is kept (`--data-dir`, an absolute path); null means the OS data directory. */
  dataDir: string | null;
}

export const ENDPOINT_ENV = 'BEDROCK_ATLAS_ENDPOINT_URL';

export function parseEndpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL. Expected something like http://127.0.0.1:4010 or https://vpce-...amazonaws.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`"${value}" must start with http:// or https://`);
  }
  return url.origin + url.pathname.replace(/\/$/, '');
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port number (0-65535; 0 picks a free port)`);
  }
  return port;
}

function parseRegions(value: string): CommercialRegion[] {
  try {
    return parseRegionList(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Every command that takes the shared options lists them under these headings in its --help. */
export const AWS_OPTIONS_HEADING = 'Shared AWS options:';
export const CATALOG_OPTIONS_HEADING = 'Shared catalog options:';

export function addAwsOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--endpoint-url <url>', 'send every Bedrock call to this endpoint (VPC endpoint, proxy, emulator)')
        .env(ENDPOINT_ENV)
        .argParser(parseEndpointUrl)
        .helpGroup(AWS_OPTIONS_HEADING),
    )
    .addOption(new Option('--profile <name>', 'AWS named profile (default: the standard credential chain)').helpGroup(AWS_OPTIONS_HEADING))
    .addOption(
      new Option('--regions <list>', 'regions to use: "all" or a comma separated list').argParser(parseRegions).helpGroup(AWS_OPTIONS_HEADING),
    )
    .addOption(
      new Option('--data-dir <dir>', 'where latency history and conversations are kept (default: the OS data directory)')
        .argParser(parseDataDir)
        .helpGroup(AWS_OPTIONS_HEADING),
    );
}

function parseDataDir(value: string): string {
  if (value.trim() === '' || value.includes('\u0000')) throw new InvalidArgumentError(`"${value}" is not a directory path`);
  return resolve(value);
}

export function readAwsOptions(opts: Record<string, unknown>): AwsOptions {
  return {
    endpointUrl: (opts.endpointUrl as string | undefined) ?? null,
    profile: (opts.profile as string | undefined) ?? null,
    regions: (opts.regions as CommercialRegion[] | undefined) ?? null,
    dataDir: (opts.dataDir as string | undefined) ?? null,
  };
}

/** Where and how the catalog is cached; shared by `catalog` and `web`. */
export interface CatalogOptions {
  cacheMode: 'file' | 'memory' | 'none';
  /** null means the OS cache directory. */
  cacheDir: string | null;
  maxAgeHours: number;
  /** false with --no-bundled: never fall back to the bundled catalog. */
  bundled: boolean;
}

function parseMaxAgeHours(value: string): number {
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new InvalidArgumentError(`"${value}" is not a positive number of hours`);
  }
  return hours;
}

export function addCatalogOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--cache-mode <mode>', 'file: one cache file; memory: this process only; none: always fetch')
        .choices(['file', 'memory', 'none'])
        .default('file')
        .helpGroup(CATALOG_OPTIONS_HEADING),
    )
    .addOption(new Option('--cache-dir <dir>', 'cache directory (default: the OS cache directory)').helpGroup(CATALOG_OPTIONS_HEADING))
    .addOption(
      new Option('--max-age-hours <hours>', 'cache entries older than this are refetched')
        .argParser(parseMaxAgeHours)
        .default(24)
        .helpGroup(CATALOG_OPTIONS_HEADING),
    )
    .addOption(new Option('--no-bundled', 'never fall back to the bundled catalog').helpGroup(CATALOG_OPTIONS_HEADING));
}

export function readCatalogOptions(opts: Record<string, unknown>): CatalogOptions {
  return {
    cacheMode: opts.cacheMode as CatalogOptions['cacheMode'],
    cacheDir: (opts.cacheDir as string | undefined) ?? null,
    maxAgeHours: opts.maxAgeHours as number,
    bundled: opts.bundled !== false,
  };
}
