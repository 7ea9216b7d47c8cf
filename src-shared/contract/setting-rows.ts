/**
 * The plain part of the settings table: each setting's default, its label on the Settings page and its
 * command-line flag. `settings.ts` adds each one's schema; this half loads no zod, so the CLI prints its help
 * without loading any schema.
 */

/** How the command line spells a setting: the option, its value's placeholder, its help, and how its text is read. */
export interface SettingFlag {
  /** The option as typed, `--cache-dir`. */
  name: `--${string}`;
  /** The value's placeholder in the help, `<dir>`. */
  value: `<${string}>`;
  description: string;
  /**
   * How the text becomes a value before the schema checks it: a region list (`all` or `a,b`), a path made absolute
   * against the working directory, a number, one of `choices`, or the text as it is.
   */
  read: 'regions' | 'path' | 'number' | 'text';
  /** The values allowed, for a setting that is one of a few (shown in the help, checked by commander). */
  choices?: readonly string[];
}

export interface SettingRow {
  default: unknown;
  /** The Settings page's label. */
  label: string;
  /** The command-line option that sets it for one run; null when only the Settings page (or the file) sets it. */
  flag: SettingFlag | null;
}

export const SETTING_ROWS = {
  regions: {
    default: [] as string[],
    label: 'Regions to scan',
    flag: { name: '--regions', value: '<list>', description: 'regions to use: "all" or a comma separated list (default: all)', read: 'regions' },
  },
  cacheMode: {
    default: 'file' as 'file' | 'memory' | 'none',
    label: 'Cache mode',
    flag: { name: '--cache-mode', value: '<mode>', description: 'file: one cache file; memory: this process only; none: always fetch', read: 'text', choices: ['file', 'memory', 'none'] },
  },
  cacheDir: {
    default: null as string | null,
    label: 'Cache directory',
    flag: { name: '--cache-dir', value: '<dir>', description: 'cache directory (default: the OS cache directory)', read: 'path' },
  },
  maxAgeHours: {
    default: 24,
    label: 'Maximum cache age (hours)',
    flag: { name: '--max-age-hours', value: '<hours>', description: 'cache entries older than this are refetched', read: 'number' },
  },
  awsProfile: {
    default: null as string | null,
    label: 'AWS named profile',
    flag: { name: '--profile', value: '<name>', description: 'AWS named profile (default: the standard credential chain)', read: 'text' },
  },
  theme: { default: 'system' as 'system' | 'light' | 'dark', label: 'Theme', flag: null },
  dataDir: {
    default: null as string | null,
    label: 'History data directory',
    flag: { name: '--data-dir', value: '<dir>', description: 'where latency history and conversations are kept (default: the OS data directory)', read: 'path' },
  },
  historyLimit: { default: 1_000_000, label: 'Latency samples kept', flag: null },
  /** The team's store (issue 19): a directory or s3://bucket/prefix; the CLI's history and rank take --store instead. */
  teamStore: { default: null as string | null, label: 'Team data', flag: null },
  /** Issue 19: the app's measured requests as OpenTelemetry metrics, sent where the standard OTEL_* variables say. */
  otlpExport: { default: false, label: 'Export measurements as OpenTelemetry metrics (OTLP)', flag: null },
} satisfies Record<string, SettingRow>;

export type SettingRowName = keyof typeof SETTING_ROWS;

/** The table's names, in its order (the order of the Settings page and of the help). */
export const SETTING_NAMES = Object.keys(SETTING_ROWS) as SettingRowName[];

/** The flag that sets a setting for one run, or null when there is none. */
export function flagOf(name: SettingRowName): SettingFlag | null {
  return (SETTING_ROWS as Record<SettingRowName, SettingRow>)[name].flag;
}
