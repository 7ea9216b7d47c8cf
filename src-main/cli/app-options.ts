import { Command, CommanderError } from 'commander';
import { SETTINGS } from '../../src-shared/contract/settings';
import { addAwsOptions, addCatalogOptions, checkSettingFlags, readSharedOptions, type SharedOptions } from './options';

/**
 * The options that start the dashboard, read the same way by `bedrock-atlas web` and by the desktop app, so
 * `npm start -- --profile x --regions a,b --cache-mode memory` means the same in both.
 */
export type AppLaunchOptions = SharedOptions;

/** Only options the user actually gave (on the command line or through their environment variable) count. */
export function readLaunchOptions(command: Command): AppLaunchOptions {
  return readSharedOptions(command.opts(), (attribute) => command.getOptionValueSource(attribute));
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
  const options = readLaunchOptions(command);
  try {
    checkSettingFlags(options.overrides, SETTINGS);
  } catch (error) {
    throw new LaunchOptionsError((error as Error).message);
  }
  return options;
}
