import { test as base } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setScenario, startCli, startEmulator, type Started } from '../fixtures/processes';

/**
 * One emulator and one browser host per worker, like ../fixtures/atlas.ts, with the history database in a
 * directory of its own (the saved conversations of this run, never the user's, never another run's lock).
 */
export const test = base.extend<{ playground: string }, { emulator: Started; host: Started }>({
  emulator: [
    async ({}, use) => {
      const emulator = await startEmulator();
      await use(emulator);
      await emulator.stop();
    },
    { scope: 'worker' },
  ],
  host: [
    async ({ emulator }, use) => {
      const home = mkdtempSync(join(tmpdir(), 'atlas-e2e-playground-'));
      const host = await startCli(
        ['web', '--no-open', '--port', '0', '--endpoint-url', emulator.url, '--cache-dir', join(home, 'cache'), '--regions', 'us-east-1,us-west-2,eu-west-1,eu-central-1,ap-northeast-1'],
        /Bedrock Atlas: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/,
        { XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), AWS_ACCESS_KEY_ID: 'AKIDE2E', AWS_SECRET_ACCESS_KEY: 'e2e-secret', AWS_REGION: 'us-east-1' },
      );
      await use(host);
      await host.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  /** The playground page opened, with a fresh emulator scenario (tokens 8 ms apart unless a test sets its own). */
  playground: async ({ page, host, emulator }, use) => {
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    await setScenario(emulator.url, { perTokenMs: { '*': 8 }, timeToFirstTokenMs: { '*': 60 } });
    await page.goto(host.url);
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByTestId('pane-1').waitFor();
    await use(host.url);
  },
});

export { expect } from '@playwright/test';

export async function emulatorStats(emulatorUrl: string): Promise<{ abortedStreams: Record<string, number>; requests: Record<string, Record<string, number>> }> {
  return (await fetch(`${emulatorUrl}/_emulator/stats`)).json();
}
