import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { SettingsSchema, type Settings, type SettingsPatch } from '../../../src-shared/contract';
import { writeFileAtomic } from '../storage/atomic-write';

export const DEFAULT_SETTINGS: Settings = {
  regions: [],
  cacheMode: 'file',
  cacheDir: null,
  maxAgeHours: 24,
  awsProfile: null,
  theme: 'system',
};

export function defaultSettingsPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'bedrock-atlas', 'settings.json');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'bedrock-atlas', 'settings.json');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'bedrock-atlas', 'settings.json');
}

/** User settings in one JSON file (or only in memory when `path` is null), written atomically. */
export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;
  readonly warnings: string[] = [];

  constructor(private readonly path: string | null) {}

  async load(): Promise<Settings> {
    if (!this.path) return this.current;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warnings.push(`Settings file ${this.path} cannot be read: ${(error as Error).message}`);
      return this.current;
    }
    try {
      const parsed = SettingsSchema.partial().safeParse(JSON.parse(text));
      if (parsed.success) this.current = { ...DEFAULT_SETTINGS, ...parsed.data };
      else this.warnings.push(`Settings file ${this.path} has invalid values; using defaults.`);
    } catch {
      this.warnings.push(`Settings file ${this.path} is not valid JSON; using defaults.`);
    }
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = SettingsSchema.parse({ ...this.current, ...patch });
    if (this.path) {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
    }
    this.current = next;
    return next;
  }
}
