import { spawn } from 'node:child_process';
import { Command, Option } from 'commander';
import { createAtlasCore } from '../../core/app/atlas-core';
import { defaultSettingsPath } from '../../core/app/settings-store';
import { startHostForCore } from '../../host/web-host';
import { buildRenderer, rendererBuildIsStale } from '../../host/renderer-build';
import { readLaunchOptions } from '../app-options';
import { addAwsOptions, addCatalogOptions, parsePort } from '../options';
import { BUNDLED_CATALOG, projectFile } from '../project-files';
import { waitForShutdown, type CommandIo } from '../io';

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {}); // no desktop browser: the printed URL is enough
  child.unref();
}

export function webCommand(io: CommandIo, version: string): Command {
  const command = new Command('web')
    .description('serve the dashboard on 127.0.0.1 for your browser (the same app and API as the desktop window)')
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').argParser(parsePort).default(0))
    .addOption(new Option('--no-open', 'do not open a browser'));
  addAwsOptions(command);
  addCatalogOptions(command);
  return command.action(async (opts: Record<string, unknown>) => {
    const projectRoot = projectFile('.');
    if (rendererBuildIsStale(projectRoot)) await buildRenderer(projectRoot, io.stderr);
    const launch = readLaunchOptions(command);
    // npm tells the processes that `npm start` runs which script that was.
    const launchCommand = process.env.npm_lifecycle_event === 'start' ? 'npm start' : 'bedrock-atlas web';
    const core = await createAtlasCore({
      name: 'Bedrock Atlas',
      version,
      transport: 'web',
      launchCommand,
      settingsPath: defaultSettingsPath(),
      overrides: launch.overrides,
      endpointUrl: launch.endpointUrl,
      bundledPath: launch.bundled ? projectFile(BUNDLED_CATALOG) : null,
      log: io.stderr,
    });
    const host = await startHostForCore(core, { port: opts.port as number, launchCommand, rendererDir: projectFile('out/renderer'), log: io.stderr });
    io.stdout(`Bedrock Atlas: ${host.launchUrl}`);
    if (opts.open !== false) openInBrowser(host.launchUrl);
    await waitForShutdown();
    core.close();
    await host.close();
  });
}
