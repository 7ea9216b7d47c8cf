import { z } from 'zod';
import { method, NoInput, RegionNameSchema } from './define';
import { TeamStoreSettingSchema } from './fleet';
import { SETTING_ROWS, SETTING_NAMES, type SettingRow } from './setting-rows';

export * from './setting-rows';

export const CacheModeSchema = z.enum(['file', 'memory', 'none']);
export type CacheMode = z.infer<typeof CacheModeSchema>;

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

const NO_NUL = (text: string) => !text.includes('\u0000');
/** POSIX `/…`, Windows `C:\…` or `\\server\share`: a relative cache directory would move with the working directory. */
const isAbsolutePath = (text: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(text);

/**
 * Every setting, once: its schema, its default, its label on the Settings page and its command-line flag. The
 * settings file, the Settings page, `npm start -- …`, `bedrock-atlas web` and the one-shot commands all read this
 * table, so a new setting is one row here (and its control on the page). The rows' plain part (default, label,
 * flag) lives in `setting-rows.ts`, free of zod, so the CLI can print its help without loading any schema.
 */
export const SETTINGS = {
  /** Regions to scan; empty means every commercial Bedrock region. */
  regions: { ...SETTING_ROWS.regions, schema: z.array(RegionNameSchema) },
  cacheMode: { ...SETTING_ROWS.cacheMode, schema: CacheModeSchema },
  /** Cache directory; null means the OS cache directory. */
  cacheDir: {
    ...SETTING_ROWS.cacheDir,
    schema: z
      .string()
      .min(1)
      .refine(NO_NUL, 'The cache directory may not contain a NUL byte')
      .refine(isAbsolutePath, 'The cache directory must be an absolute path (for example /home/me/.cache/bedrock-atlas)')
      .nullable(),
  },
  maxAgeHours: {
    ...SETTING_ROWS.maxAgeHours,
    schema: z.number().positive('The maximum age must be more than 0 hours').max(24 * 365, 'The maximum age is at most a year (8760 hours)'),
  },
  /** AWS named profile; null means the default credential chain. */
  awsProfile: { ...SETTING_ROWS.awsProfile, schema: z.string().min(1).max(128).refine(NO_NUL, 'The profile name may not contain a NUL byte').nullable() },
  theme: { ...SETTING_ROWS.theme, schema: ThemeSchema },
  /** Where latency history and conversations are kept; null means the OS data directory. */
  dataDir: {
    ...SETTING_ROWS.dataDir,
    schema: z
      .string()
      .min(1)
      .refine(NO_NUL, 'The data directory may not contain a NUL byte')
      .refine(isAbsolutePath, 'The data directory must be an absolute path')
      .nullable(),
  },
  /** Stored latency samples at most; the oldest are removed beyond it. */
  historyLimit: { ...SETTING_ROWS.historyLimit, schema: z.number().int().min(1_000, 'Keep at least 1000 samples').max(100_000_000) },
  /** The team's store of latency samples: a directory or s3://bucket/prefix; null means none. */
  teamStore: { ...SETTING_ROWS.teamStore, schema: TeamStoreSettingSchema },
  /** Off by default: nothing leaves the machine unless the user turns it on. */
  otlpExport: { ...SETTING_ROWS.otlpExport, schema: z.boolean() },
} satisfies { [Name in keyof typeof SETTING_ROWS]: SettingRow & { schema: z.ZodType } };

type Table = typeof SETTINGS;

export const SettingsSchema = z.object({
  regions: SETTINGS.regions.schema,
  cacheMode: SETTINGS.cacheMode.schema,
  cacheDir: SETTINGS.cacheDir.schema,
  maxAgeHours: SETTINGS.maxAgeHours.schema,
  awsProfile: SETTINGS.awsProfile.schema,
  theme: SETTINGS.theme.schema,
  dataDir: SETTINGS.dataDir.schema,
  historyLimit: SETTINGS.historyLimit.schema,
  teamStore: SETTINGS.teamStore.schema,
  otlpExport: SETTINGS.otlpExport.schema,
} satisfies { [Name in keyof Table]: Table[Name]['schema'] });

// The plain rows and the schemas agree: every default is valid, every flag's choices are the schema's.
for (const name of SETTING_NAMES) {
  SETTINGS[name].schema.parse(SETTING_ROWS[name].default);
  const choices = (SETTING_ROWS[name].flag as { choices?: readonly string[] } | null)?.choices;
  const schema: object = SETTINGS[name].schema;
  const options = 'options' in schema ? schema.options : undefined;
  if (choices && JSON.stringify(choices) !== JSON.stringify(options)) {
    throw new Error(`The ${name} flag's choices differ from its schema's`);
  }
}
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingName = keyof Settings;


/** The defaults, from the table; a fresh copy each call so no caller can change another's. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse(structuredClone(Object.fromEntries(SETTING_NAMES.map((name) => [name, SETTING_ROWS[name].default]))));
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(defaultSettings());

export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export interface SettingsView {
  /** What is in force for this run: the saved settings with the command line's values on top. */
  settings: Settings;
  /** Settings given on the command line for this run (`--regions`, `--profile`, …): they win over the saved file. */
  commandLine: SettingName[];
  /** What went wrong reading the settings file at start-up (damaged JSON, invalid values), each naming the copy kept. */
  problems: string[];
  /** Where the damaged file was kept, unchanged; null when it was fine. */
  keptAside: string | null;
}

export const settingsMethods = {
  getSettings: method<Settings>()(NoInput),
  /** Saves a change. A setting given on the command line stays in force for the run unless this patch changes it. */
  updateSettings: method<Settings>()(SettingsPatchSchema),
  getSettingsView: method<SettingsView>()(NoInput),
};
