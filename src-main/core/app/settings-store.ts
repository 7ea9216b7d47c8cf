import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings, type SettingsPatch } from '../../../src-shared/contract';
import { removeStaleTemporaries, writeFileAtomic } from '../storage/atomic-write';

/** The defaults come from the settings table in the contract, with the flags and labels. */
export { DEFAULT_SETTINGS } from '../../../src-shared/contract';

export function defaultSettingsPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'bedrock-atlas', 'settings.json');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'bedrock-atlas', 'settings.json');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'bedrock-atlas', 'settings.json');
}

/** A change the store refuses (a NUL byte, a relative cache directory, an unknown region…): nothing was saved. */
export class InvalidSettingsError extends Error {
  override readonly name = 'InvalidSettingsError';
  readonly code = 'INVALID_SETTINGS';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`Settings not saved: ${describeIssues(issues)}`);
  }
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function describeIssues(issues: { path: string; message: string }[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}

/**
 * User settings in one JSON file (or only in memory when `path` is null), written atomically. The contract's
 * schema decides what is valid (no NUL byte in any string, an absolute cache directory, known regions); a saved
 * value that fails it is dropped with a warning naming it, and the rest of the file still applies. A file that
 * cannot be used whole (damaged JSON, invalid values) is kept aside before anything could overwrite it: moved when
 * nothing of it applies, copied when some of it does, never deleted, and the warning names the copy.
 */
export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;
  readonly warnings: string[] = [];
  /** Where the damaged or partly invalid file was kept, for the Settings page to name; null when nothing was. */
  keptAside: string | null = null;

  constructor(private readonly path: string | null) {}

  async load(): Promise<Settings> {
    if (!this.path) return this.current;
    // Killed saves leave temporary files beside the settings; clear them before reading.
    await removeStaleTemporaries(this.path);
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warnings.push(`Settings file ${this.path} cannot be read: ${(error as Error).message}`);
      return this.current;
    }
    let saved: unknown;
    try {
      saved = JSON.parse(text);
    } catch {
      const copy = await this.keepAside(this.path, 'move');
      this.warnings.push(`Settings file ${this.path} is not valid JSON; using defaults. ${copy}`);
      return this.current;
    }
    if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) {
      const copy = await this.keepAside(this.path, 'move');
      this.warnings.push(`Settings file ${this.path} is not a JSON object; using defaults. ${copy}`);
      return this.current;
    }
    this.current = await this.keepValid(saved as Record<string, unknown>, this.path);
    return this.current;
  }

  /** Keeps the file as it was beside it (`settings.json.damaged-<time>`), and says where, or why it could not. */
  private async keepAside(path: string, how: 'move' | 'copy'): Promise<string> {
    const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      if (how === 'move') await rename(path, aside);
      else await copyFile(path, aside);
      this.keptAside = aside;
      return `The file as it was is kept in ${aside}.`;
    } catch (error) {
      return `It could not be kept aside (${(error as Error).message}): a save will replace it.`;
    }
  }

  get(): Settings {
    return this.current;
  }

  /** Saves the patch over the current settings, or throws InvalidSettingsError and leaves the file untouched. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const parsed = SettingsSchema.safeParse({ ...this.current, ...patch });
    if (!parsed.success) throw new InvalidSettingsError(issuesOf(parsed.error));
    const next = parsed.data;
    if (this.path) {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
    }
    this.current = next;
    return next;
  }

  /** Valid saved values over the defaults; each invalid one is named in a warning and left at its default. */
  private async keepValid(saved: Record<string, unknown>, path: string): Promise<Settings> {
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    const issues: { path: string; message: string }[] = [];
    for (const key of Object.keys(SettingsSchema.shape) as (keyof Settings)[]) {
      if (!Object.hasOwn(saved, key)) continue;
      const parsed = SettingsSchema.shape[key].safeParse(saved[key]);
      if (parsed.success) settings[key] = parsed.data;
      else issues.push(...issuesOf(parsed.error).map((issue) => ({ ...issue, path: issue.path ? `${key}.${issue.path}` : key })));
    }
    if (issues.length > 0) {
      // A save writes the whole file: the invalid values would be lost without this copy.
      const copy = await this.keepAside(path, 'copy');
      this.warnings.push(`Settings file ${path} has invalid values (${describeIssues(issues)}); using the defaults for those. ${copy}`);
    }
    return settings as Settings;
  }
}
