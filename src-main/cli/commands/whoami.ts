import { Command, Option } from 'commander';
import { addAwsOptions } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function whoamiCommand(io: CommandIo, version: string): Command {
  const command = new Command('whoami')
    .description('who the app calls AWS as: account, ARN, where the credentials come from, and the Bedrock API key in use')
    .addOption(new Option('--json', 'print {account, arn, credentialSource, profile, apiKey} as JSON'));
  addAwsOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/whoami')).whoamiAction);
}
