import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The browser host serves the built renderer; this says whether that build is missing or older than its sources. */
export function rendererBuildIsStale(projectRoot: string): boolean {
  const built = join(projectRoot, 'out', 'renderer', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newest = (dir: string): number => {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) latest = Math.max(latest, newest(path));
      else if (!entry.name.endsWith('.test.ts') && !entry.name.endsWith('.test.tsx')) latest = Math.max(latest, statSync(path).mtimeMs);
    }
    return latest;
  };
  return Math.max(newest(join(projectRoot, 'src-renderer')), newest(join(projectRoot, 'src-shared'))) > builtAt;
}

export async function buildRenderer(projectRoot: string, log: (line: string) => void): Promise<void> {
  log('Building the dashboard (first run or sources changed)...');
  const started = performance.now();
  const [{ build }, { rendererConfig }] = await Promise.all([import('vite'), import('../../build/renderer-config')]);
  // Always a production bundle: a NODE_ENV inherited from a test runner (vitest sets "test") would otherwise make
  // Vite build React's development bundle, whose StrictMode double effects users must never run.
  const inherited = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ ...rendererConfig(projectRoot), mode: 'production', configFile: false, logLevel: 'error' });
  } finally {
    if (inherited === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = inherited;
  }
  log(`Dashboard built in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
