import { Command, CommanderError } from 'commander';
import type { Settings } from '../../src-shared/contract';
import { addAwsOptions, addCatalogOptions, readAwsOptions, readCatalogOptions } from './options';

/**
 * The options that start the dashboard, read the same way by `bedrock-atlas web` and by the desktop app, so
 * `npm start -- --profile x --regions a,b --cache-mode memory` means the same in both.
 */
export interface AppLaunchOptions {
  /** Only the settings the user actually gave: they win over the saved settings for the whole run. */
  overrides: Partial<Settings>;
  endpointUrl: string | null;
  /** false with --no-bundled. */
  bundled: boolean;
}

/** Only options the user actually gave (on the command line or through their environment variable) count. */
export function readLaunchOptions(command: Command): AppLaunchOptions {
  const given = (name: string) => ['cli', 'env'].includes(command.getOptionValueSource(name) ?? '');
  const opts = command.opts();
  const aws = readAwsOptions(opts);
  const cache = readCatalogOptions(opts);
  return {
    overrides: {
      ...(given('regions') && aws.regions ? { regions: aws.regions } : {}),
      ...(given('profile') ? { awsProfile: aws.profile } : {}),
      ...(given('dataDir') && aws.dataDir ? { dataDir: aws.dataDir } : {}),
      ...(given('cacheMode') ? { cacheMode: cache.cacheMode } : {}),
      ...(given('cacheDir') ? { cacheDir: cache.cacheDir } : {}),
      ...(given('maxAgeHours') ? { maxAgeHours: cache.maxAgeHours } : {}),
    },
    endpointUrl: aws.endpointUrl,
    bundled: cache.bundled,
  };
}

export class LaunchOptionsError extends Error {
  override readonly name = 'LaunchOptionsError';
}

/**
 * The desktop app's arguments (what follows the app path in its argv). Chromium's own switches may be mixed in,
 * so unknown options are left alone; a bad value of a known option is an error that names the valid choices.
 */
export function parseDesktopArguments(argv: readonly string[]): AppLaunchOptions {
  const command = new Command('bedrock-atlas')
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  addAwsOptions(command);
  addCatalogOptions(command);
  try {
    command.parse(argv.filter((argument) => argument !== '--'), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new LaunchOptionsError(error.message.replace(/^error: /, ''));
    throw error;
  }
  return readLaunchOptions(command);
}
