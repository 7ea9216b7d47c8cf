import { readFileSync } from 'node:fs';
import { runCli } from './program';
import { processIo } from './io';
import { quietSdkNodeWarning } from './node-note';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

quietSdkNodeWarning();

// A reader that stops early (`catalog --json | head`) closes the pipe: that is the end of the output, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2), processIo, version);
