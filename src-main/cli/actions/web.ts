import { spawn } from 'node:child_process';
import { createAtlasCore } from '../../core/app/atlas-core';
import { defaultSettingsPath } from '../../core/app/settings-store';
import { startHostForCore } from '../../host/web-host';
import { buildRenderer, rendererBuildIsStale } from '../../host/renderer-build';
import type { ActionContext } from '../lazy-action';
import { BUNDLED_CATALOG, projectFile } from '../project-files';
import { waitForShutdown } from '../io';
import { noteOldNode } from '../node-note';

/**
 * Opens the address with the desktop's opener. A machine without one (a server, a container) or an opener that fails
 * gets one line saying so: the printed address still works from another browser, and `--no-open` skips the attempt.
 */
function openInBrowser(url: string, say: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const couldNot = (why: string) => say(`Could not open a browser (${command}: ${why}); open the address above yourself, or pass --no-open on a machine without one.`);
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', (error: NodeJS.ErrnoException) => couldNot(error.code === 'ENOENT' ? 'not installed' : error.message));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) couldNot(`exit ${code}`);
  });
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
    version,
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
  if (opts.open !== false) openInBrowser(host.oneTimeUrl(), io.stderr);
  await waitForShutdown();
  await core.close();
  await host.close();
}
