import { Command, Option } from 'commander';
import { addAwsOptions, addCatalogOptions, parsePort } from '../options';
import { lazyAction } from '../lazy-action';
import type { CommandIo } from '../io';

export function webCommand(io: CommandIo, version: string): Command {
  const command = new Command('web')
    .description('serve the dashboard on 127.0.0.1 for your browser (the same app and API as the desktop window)')
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').argParser(parsePort).default(0))
    .addOption(new Option('--no-open', 'do not open a browser'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return lazyAction(command, io, version, async () => (await import('../actions/web')).webAction);
}
