import { z } from 'zod';
import { method, NoInput, RegionNameSchema } from './define';

export const CacheModeSchema = z.enum(['file', 'memory', 'none']);
export type CacheMode = z.infer<typeof CacheModeSchema>;

const NO_NUL = (text: string) => !text.includes('\u0000');
/** POSIX `/…`, Windows `C:\…` or `\\server\share`: a relative cache directory would move with the working directory. */
const isAbsolutePath = (text: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(text);

export const SettingsSchema = z.object({
  /** Regions to scan; empty means every commercial Bedrock region. */
  regions: z.array(RegionNameSchema),
  cacheMode: CacheModeSchema,
  /** Cache directory; null means the OS cache directory. */
  cacheDir: z
    .string()
    .min(1)
    .refine(NO_NUL, 'The cache directory may not contain a NUL byte')
    .refine(isAbsolutePath, 'The cache directory must be an absolute path (for example /home/me/.cache/bedrock-atlas)')
    .nullable(),
  maxAgeHours: z.number().positive().max(24 * 365),
  /** AWS named profile; null means the default credential chain. */
  awsProfile: z.string().min(1).max(128).refine(NO_NUL, 'The profile name may not contain a NUL byte').nullable(),
  theme: z.enum(['system', 'light', 'dark']),
  /** Where latency history and conversations are kept; null means the OS data directory. */
  dataDir: z
    .string()
    .min(1)
    .refine(NO_NUL, 'The data directory may not contain a NUL byte')
    .refine(isAbsolutePath, 'The data directory must be an absolute path')
    .nullable(),
  /** Stored latency samples at most; the oldest are removed beyond it. */
  historyLimit: z.number().int().min(1_000, 'Keep at least 1000 samples').max(100_000_000),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingName = keyof Settings;

export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export interface SettingsView {
  /** What is in force for this run: the saved settings with the command line's values on top. */
  settings: Settings;
  /** Settings given on the command line for this run (`--regions`, `--profile`, …): they win over the saved file. */
  commandLine: SettingName[];
}

export const settingsMethods = {
  getSettings: method<Settings>()(NoInput),
  /** Saves a change. A setting given on the command line stays in force for the run unless this patch changes it. */
  updateSettings: method<Settings>()(SettingsPatchSchema),
  getSettingsView: method<SettingsView>()(NoInput),
};
