import { spawn } from 'node:child_process';
import { createAtlasCore } from '../../core/app/atlas-core';
import { defaultSettingsPath } from '../../core/app/settings-store';
import { startHostForCore } from '../../host/web-host';
import { buildRenderer, rendererBuildIsStale } from '../../host/renderer-build';
import type { ActionContext } from '../lazy-action';
import { BUNDLED_CATALOG, projectFile } from '../project-files';
import { waitForShutdown } from '../io';
import { noteOldNode } from '../node-note';

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {}); // no desktop browser: the printed URL is enough
  child.unref();
}

/** `bedrock-atlas web`: the dashboard on 127.0.0.1 until Ctrl+C. */
export async function webAction({ opts, shared, io, version }: ActionContext): Promise<void> {
  const projectRoot = projectFile('.');
  if (rendererBuildIsStale(projectRoot)) await buildRenderer(projectRoot, io.stderr);
  const launch = shared;
  noteOldNode(io.stderr);
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
  // The browser gets a one-time code, not the token: its command line is visible to every local user.
  if (opts.open !== false) openInBrowser(host.oneTimeUrl());
  await waitForShutdown();
  core.close();
  await host.close();

}
