import { createAtlasCore, type AtlasCore } from '../core/app/atlas-core';
import { defaultSettingsPath } from '../core/app/settings-store';
import type { SharedOptions } from './options';
import { BUNDLED_CATALOG, projectFile } from './project-files';
import type { CommandIo } from './io';
import { noteOldNode } from './node-note';

/**
 * The composition root as a one-shot command needs it: the same settings file as the app (regions, profile, data
 * directory, cache), the flags given on the command line over it for this run (never saved), logs on stderr.
 * The caller closes it.
 */
const CALL_FAILED = /^(stream )?[A-Za-z]+ failed: /;

export function openCommandCore(shared: SharedOptions, io: CommandIo, version: string, { callsAws = true } = {}): Promise<AtlasCore> {
  if (callsAws) noteOldNode(io.stderr);
  return createAtlasCore({
    name: 'bedrock-atlas',
    version,
    transport: 'web',
    settingsPath: defaultSettingsPath(),
    overrides: shared.overrides,
    endpointUrl: shared.endpointUrl,
    bundledPath: shared.bundled ? projectFile(BUNDLED_CATALOG) : null,
    log: (line) => {
      // The dispatcher and the stream registry log each failed call for the hosts; the CLI says the error itself.
      if (!CALL_FAILED.test(line)) io.stderr(line);
    },
  });
}
