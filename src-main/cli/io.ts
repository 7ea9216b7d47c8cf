/** How commands talk to the terminal: results on stdout, logs and progress on stderr. */
export interface CommandIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * Terminal control characters (C0 but newline and tab, DEL, C1) and bidirectional overrides. Model names, error
 * messages and dates printed by the CLI come from API answers and cache files: an escape sequence in them could
 * retitle or rewrite the user's terminal, or make one id read as another.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '');
}

/** Everything the CLI prints goes through here, so no command can forget to strip what a terminal would obey. */
export const processIo: CommandIo = {
  stdout: (line) => process.stdout.write(`${printable(line)}\n`),
  stderr: (line) => process.stderr.write(`${printable(line)}\n`),
};

/** A mistake in how the command was called: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function waitForShutdown(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
