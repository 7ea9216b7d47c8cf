import { readFileSync } from 'node:fs';
import { runCli } from './program';
import { processIo } from './io';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
// The SDK warns about Node 20 on every start; the warning is about future releases and only adds noise to stderr.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'NodeVersionSupportWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

process.exitCode = await runCli(process.argv.slice(2), processIo, version);
