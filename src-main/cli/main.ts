import { readFileSync } from 'node:fs';
import { runCli } from './program';
import { processIo } from './io';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// On Node < 22 the AWS SDK prints an eight-line warning about its 2027 releases from the first client created; one
// line says the same. Setting the SDK's own switch before any client exists (clients are created by commands, not
// at import) keeps the SDK quiet; a caller that already set it wants no note at all.
const SDK_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
if (process.env[SDK_WARNING_SWITCH] !== 'true') {
  process.env[SDK_WARNING_SWITCH] = 'true';
  if (Number(process.versions.node.split('.')[0]) < 22) {
    process.stderr.write(`Note: Node ${process.version} is past its end of life; AWS SDK releases from January 2027 on need Node 22 or later.\n`);
  }
}

// A reader that stops early (`catalog --json | head`) closes the pipe: that is the end of the output, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2), processIo, version);
