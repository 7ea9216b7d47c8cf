import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Tests never read or write the user's files. Every test process (a Vitest worker's test file, every process a
 * Playwright spec starts) gets a HOME of its own with the XDG directories and the AWS config files inside it; a
 * guard records what the real HOME holds under the app's directories before the run and fails the run if any of
 * it was created, changed or removed after.
 */

/** The directories under the real HOME that this app (or the AWS SDK for it) could write. */
export const GUARDED_DIRS = ['.config/bedrock-atlas', '.config/Bedrock Atlas', '.local/share/bedrock-atlas', '.cache/bedrock-atlas', '.aws'];

/** HOME, the XDG base directories and the AWS shared files, all inside `home`. */
export function isolatedEnv(home: string): Record<string, string> {
  const env = {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
  };
  for (const dir of [env.XDG_CONFIG_HOME, env.XDG_DATA_HOME, env.XDG_CACHE_HOME, env.XDG_STATE_HOME]) mkdirSync(dir, { recursive: true });
  return env;
}

/** A fresh HOME under `root`, with the environment that points everything into it. */
export function freshHome(root: string, label: string): { home: string; env: Record<string, string> } {
  mkdirSync(root, { recursive: true });
  const home = mkdtempSync(join(root, `${label}-`));
  return { home, env: isolatedEnv(home) };
}

/** Variables naming a profile of the user's real config files, which the isolated HOME does not have. */
export const USER_PROFILE_VARIABLES = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'];

/** Points this process (and every process it starts) at `env`, forgetting the user's profile. */
export function applyIsolatedEnv(env: Record<string, string>): void {
  for (const name of USER_PROFILE_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
}

/** Every file and directory under the guarded directories of `home`: path → size and modification time. */
export type HomeSnapshot = Record<string, string>;

export function snapshotHome(home: string, dirs: readonly string[] = GUARDED_DIRS): HomeSnapshot {
  const snapshot: HomeSnapshot = {};
  const visit = (path: string) => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return; // absent: recorded by its absence
    }
    snapshot[relative(home, path)] = stats.isDirectory() ? 'dir' : `${stats.size} bytes, modified ${stats.mtimeMs}`;
    if (stats.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  for (const dir of dirs) visit(join(home, dir));
  return snapshot;
}

/** What the run did to the real HOME, one line each; empty when it did nothing. */
export function homeChanges(before: HomeSnapshot, after: HomeSnapshot): string[] {
  const changes: string[] = [];
  for (const [path, state] of Object.entries(after)) {
    if (!(path in before)) changes.push(`created ~/${path}`);
    else if (before[path] !== state) changes.push(`modified ~/${path}`);
  }
  for (const path of Object.keys(before)) if (!(path in after)) changes.push(`removed ~/${path}`);
  return changes;
}

export function homeGuardMessage(home: string, changes: string[]): string {
  return `Tests touched the real HOME (${home}); every test must run in its own HOME:\n  ${changes.join('\n  ')}`;
}
