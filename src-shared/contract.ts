import { z } from 'zod';
import type { CatalogDocument, ModelAccess, CatalogModel } from './catalog/document';
import { COMMERCIAL_REGIONS } from './regions';
import type { MethodName } from './methods';

export { METHOD_NAMES, isMethodName, type MethodName } from './methods';

/**
 * The one API between the main process and the renderer, used by both transports (Electron IPC and the
 * loopback browser host). Each method has an input schema (validated in the main process before any handler
 * runs) and an output type. A rename here breaks the build of every side, not the running app.
 */

const RegionNameSchema = z.enum(COMMERCIAL_REGIONS as [string, ...string[]], {
  error: (issue) => `Unknown region ${JSON.stringify(issue.input)}. Valid choices: ${COMMERCIAL_REGIONS.join(', ')}`,
});
export const RegionListSchema = z.array(RegionNameSchema).min(1, 'Choose at least one region');

export const CacheModeSchema = z.enum(['file', 'memory', 'none']);
export type CacheMode = z.infer<typeof CacheModeSchema>;

export const SettingsSchema = z.object({
  /** Regions to scan; empty means every commercial Bedrock region. */
  regions: z.array(RegionNameSchema),
  cacheMode: CacheModeSchema,
  /** Cache directory; null means the OS cache directory. */
  cacheDir: z.string().min(1).nullable(),
  maxAgeHours: z.number().positive().max(24 * 365),
  /** AWS named profile; null means the default credential chain. */
  awsProfile: z.string().min(1).nullable(),
  theme: z.enum(['system', 'light', 'dark']),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export interface AppInfo {
  name: string;
  version: string;
  /** Which transport this renderer is served over. */
  transport: 'electron' | 'web';
  platform: string;
  /** The Bedrock endpoint override in use (a VPC endpoint, a proxy or the emulator), if any. */
  endpointUrl: string | null;
  /** True when the endpoint announced itself as the Bedrock Atlas emulator: all data is simulated. */
  simulated: boolean;
  /** The AWS named profile in use, or null for the default chain. Never credentials. */
  awsProfile: string | null;
}

export interface CatalogMeta {
  /** Where this copy came from now (a cache hit says `cache` even when the data was fetched from the API). */
  source: CatalogDocument['source'];
  simulated: boolean;
  /** Age of the data in milliseconds at the time of the answer. */
  ageMs: number;
  cacheMode: CacheMode;
  cachePath: string | null;
  /** Human-readable warnings collected while loading (ignored cache file, unwritable directory, failed regions). */
  warnings: string[];
}

export interface CatalogSnapshot {
  document: CatalogDocument;
  meta: CatalogMeta;
}

export interface RankedRoute {
  /** The id or ARN to pass as modelId from `fromRegion`. */
  invokeId: string;
  /** The region whose endpoint to call. */
  callRegion: string;
  kind: 'on-demand' | 'geo-profile' | 'global-profile';
  /** Where requests may be served. Empty for a global profile whose destinations cannot be enumerated. */
  destinations: string[];
  /** Lower is better. */
  rank: number;
  reason: string;
}

/** Pairs an input schema with an output type: `method<Output>()(inputSchema)`. */
const method =
  <Output>() =>
  <Input extends z.ZodType>(input: Input) => ({ input, output: undefined as unknown as Output });

const NoInput = z.object({}).strict().optional();
const ModelIdSchema = z.string().trim().min(1, 'A model id or name is required').max(300);

export const contract = {
  getAppInfo: method<AppInfo>()(NoInput),
  getSettings: method<Settings>()(NoInput),
  updateSettings: method<Settings>()(SettingsPatchSchema),
  /** The catalog through the start-up waterfall: valid cache, then the API, then the bundled file. */
  getCatalog: method<CatalogSnapshot>()(NoInput),
  /** Scans the regions again; concurrent calls share one scan. Progress arrives as `catalog.progress` events. */
  refreshCatalog: method<CatalogSnapshot>()(z.object({ regions: RegionListSchema.optional() }).strict().optional()),
  cancelRefresh: method<{ cancelled: boolean }>()(NoInput),
  /** The account's access to one model in the given regions (GetFoundationModelAvailability, cached). */
  getModelAccess: method<Record<string, ModelAccess>>()(
    z.object({ modelId: ModelIdSchema, regions: RegionListSchema.max(40) }).strict(),
  ),
  /** Finds a model by id or by a forgiving name ("Claude 3 Haiku"). */
  findModel: method<CatalogModel | null>()(z.object({ query: ModelIdSchema }).strict()),
  /** The regions and routes a model can be called through from one region, best first. */
  bestRegions: method<RankedRoute[]>()(z.object({ modelId: ModelIdSchema, fromRegion: RegionNameSchema }).strict()),
} satisfies Record<MethodName, { input: z.ZodType; output: unknown }>;

export type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = Contract[M]['output'];

/** What the renderer calls: one async function per contract method. */
export type AtlasApi = {
  [M in MethodName]: undefined extends MethodInput<M>
    ? (input?: MethodInput<M>) => Promise<MethodOutput<M>>
    : (input: MethodInput<M>) => Promise<MethodOutput<M>>;
};
/** What the main process implements: handlers receive already validated input. */
export type AtlasHandlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

/** Fails to compile when METHOD_NAMES lists a method the contract lacks (the `satisfies` above catches the reverse). */
export type MethodListMatchesContract = MethodName extends keyof Contract ? true : never;
const methodListMatchesContract: MethodListMatchesContract = true;
void methodListMatchesContract;
