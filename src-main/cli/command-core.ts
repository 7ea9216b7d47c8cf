import { createAtlasCore, type AtlasCore } from '../core/app/atlas-core';
import { readAwsOptions, readCatalogOptions } from './options';
import { BUNDLED_CATALOG, projectFile } from './project-files';
import type { CommandIo } from './io';

/**
 * The composition root as a one-shot command needs it: no settings file (the command line is the whole
 * configuration), the shared options applied, logs on stderr. The caller closes it.
 */
export function openCommandCore(opts: Record<string, unknown>, io: CommandIo, version: string): Promise<AtlasCore> {
  const aws = readAwsOptions(opts);
  const cache = readCatalogOptions(opts);
  return createAtlasCore({
    name: 'bedrock-atlas',
    version,
    transport: 'web',
    settingsPath: null,
    overrides: {
      ...(aws.regions ? { regions: aws.regions } : {}),
      ...(aws.dataDir ? { dataDir: aws.dataDir } : {}),
      awsProfile: aws.profile,
      cacheMode: cache.cacheMode,
      cacheDir: cache.cacheDir,
      maxAgeHours: cache.maxAgeHours,
    },
    endpointUrl: aws.endpointUrl,
    bundledPath: cache.bundled ? projectFile(BUNDLED_CATALOG) : null,
    log: (line) => io.stderr(line),
  });
}
