import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The decisions `npm start` makes, apart from the processes it runs, so they can be tested on their own. */

/** The Electron binary the `electron` package downloaded, or null when it has not been downloaded (yet). */
export function electronBinary(electronDir: string): string | null {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const binary = join(electronDir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Why a download attempt failed, in a few words for the one line `npm start` prints. */
export function downloadFailureReason(output: string, timedOut: boolean): string {
  if (timedOut) return 'the download timed out';
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|ETIMEDOUT|network|fetch failed/i.test(output)) return 'no network to download it';
  return (output.trim().split('\n').find((line) => /error/i.test(line)) ?? 'the download failed').trim().slice(0, 160);
}

/**
 * Electron's argv: the app, then `--`, then the user's arguments exactly as given. After `--` Chromium treats
 * nothing as one of its own switches, so `--inspect` or `--remote-debugging-port` typed for the app cannot
 * reconfigure the browser. The main process finds them after the first `--` in `process.argv`.
 */
export function desktopArguments(appRoot: string, userArguments: readonly string[]): string[] {
  return [appRoot, '--', ...userArguments];
}
