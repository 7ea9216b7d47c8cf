import { resolve } from 'node:path';
import { Option, InvalidArgumentError, type Command } from 'commander';
import { SETTING_ROWS, SETTING_NAMES, type SettingFlag, type SettingRowName } from '../../src-shared/contract/setting-rows';
import type { Settings } from '../../src-shared/contract/settings';
import { COMMERCIAL_REGIONS, isCommercialRegion, type CommercialRegion } from '../../src-shared/regions';

/**
 * The options every command that talks to Bedrock shares. The settings among them (`--regions`, `--profile`,
 * `--data-dir`, `--cache-mode`, `--cache-dir`, `--max-age-hours`) come from the settings table in
 * `src-shared/contract/settings.ts`: its flag, its help and its schema. A flag the user gives overrides the settings
 * file for that run; one they do not give leaves the file's value (or the table's default) in force.
 */

export const ENDPOINT_ENV = 'BEDROCK_ATLAS_ENDPOINT_URL';

export function parseEndpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL. Expected something like http://127.0.0.1:4010 or https://vpce-...amazonaws.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`"${value}" must start with http:// or https://`);
  }
  return url.origin + url.pathname.replace(/\/$/, '');
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port number (0-65535; 0 picks a free port)`);
  }
  return port;
}

/** Edit distance, for "did you mean": a typo is one or two edits away from what was meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The region a mistyped name most likely meant (`us-east1` → `us-east-1`), or null when none is close. */
export function closestRegion(name: string): CommercialRegion | null {
  let best: CommercialRegion | null = null;
  let bestDistance = 3;
  for (const region of COMMERCIAL_REGIONS) {
    const edits = distance(name, region);
    if (edits < bestDistance) [best, bestDistance] = [region, edits];
  }
  return best;
}

export function unknownRegionMessage(name: string, { orAll = false } = {}): string {
  const guess = closestRegion(name.toLowerCase());
  return `Unknown region "${name}".${guess ? ` Did you mean ${guess}?` : ''} Valid choices: ${orAll ? 'all, ' : ''}${COMMERCIAL_REGIONS.join(', ')}`;
}

/** One region (`--from`, `--region`), with a "did you mean" for a typo. */
export function parseRegion(value: string): CommercialRegion {
  const name = value.trim().toLowerCase();
  if (!isCommercialRegion(name)) throw new InvalidArgumentError(unknownRegionMessage(value.trim()));
  return name;
}

/** `all`, or a comma separated list; each unknown name gets its "did you mean". */
export function parseRegions(value: string): CommercialRegion[] {
  const trimmed = value.trim();
  if (trimmed === '') throw new InvalidArgumentError(`No region given. Use "all" or a comma separated list of: ${COMMERCIAL_REGIONS.join(', ')}`);
  if (trimmed.toLowerCase() === 'all') return [...COMMERCIAL_REGIONS];
  const names = [...new Set(trimmed.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))];
  const unknown = names.find((name) => !isCommercialRegion(name));
  if (unknown !== undefined) throw new InvalidArgumentError(unknownRegionMessage(unknown, { orAll: true }));
  return names as CommercialRegion[];
}

function readFlagText(flag: SettingFlag, text: string): unknown {
  switch (flag.read) {
    case 'regions':
      return parseRegions(text);
    case 'path':
      if (text.trim() === '' || text.includes('\u0000')) throw new InvalidArgumentError(`"${text}" is not a directory path`);
      return resolve(text);
    case 'number': {
      const number = Number(text);
      if (text.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError(`"${text}" is not a number`);
      return number;
    }
    case 'text':
      return text;
  }
}

/**
 * The flag's text as the setting's value. The setting's schema checks it afterwards (`checkSettingFlags`), so the
 * help loads no schema; a refusal names the flag either way.
 */
function settingParser(flag: SettingFlag) {
  return (text: string) => readFlagText(flag, text);
}

/**
 * The settings given on the command line, checked by the table's schemas; a refusal names the flag the user typed
 * and says what is allowed. `schemas` is the contract's settings table (loaded when a command runs, not for --help).
 */
export function checkSettingFlags(overrides: Partial<Settings>, schemas: Record<SettingRowName, { schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } } } }>): void {
  for (const [name, value] of Object.entries(overrides) as [SettingRowName, unknown][]) {
    const parsed = schemas[name].schema.safeParse(value);
    if (parsed.success) continue;
    const flag = SETTING_ROWS[name].flag;
    const shown = Array.isArray(value) ? value.join(',') : String(value);
    throw new InvalidArgumentError(`option '${flag?.name} ${flag?.value}' argument '${shown}' is invalid. ${parsed.error?.issues.map((issue) => issue.message).join('; ')}`);
  }
}

const describeDefault = (value: unknown) => (value === null || (Array.isArray(value) && value.length === 0) ? null : String(value));

/** The commander option for one setting's flag; no commander default, so a value not given leaves the settings file's. */
function settingOption(name: SettingRowName, flag: SettingFlag, heading: string): Option {
  const fallback = describeDefault(SETTING_ROWS[name].default);
  const option = new Option(`${flag.name} ${flag.value}`, `${flag.description}${fallback ? ` (default: ${fallback}, or the settings file)` : ''}`).helpGroup(heading);
  return flag.choices ? option.choices(flag.choices) : option.argParser(settingParser(flag));
}

/** Every command that takes the shared options lists them under these headings in its --help. */
export const AWS_OPTIONS_HEADING = 'Shared AWS options:';
export const CATALOG_OPTIONS_HEADING = 'Shared catalog options:';

const AWS_SETTINGS: SettingRowName[] = ['awsProfile', 'regions', 'dataDir'];

/** The settings that have a flag, with the commander attribute their value lands in (`--profile` → `profile`). */
const FLAGGED = SETTING_NAMES.flatMap((name) => {
  const flag: SettingFlag | null = SETTING_ROWS[name].flag;
  return flag ? [{ name, flag, attribute: new Option(flag.name).attributeName() }] : [];
});

export function addAwsOptions(command: Command): Command {
  command.addOption(
    new Option('--endpoint-url <url>', 'send every AWS call (Bedrock, STS, IAM, Service Quotas, CloudWatch, Price List, CloudTrail) to this endpoint: a proxy or the emulator')
      .env(ENDPOINT_ENV)
      .argParser(parseEndpointUrl)
      .helpGroup(AWS_OPTIONS_HEADING),
  );
  for (const name of AWS_SETTINGS) {
    const flagged = FLAGGED.find((entry) => entry.name === name);
    if (flagged) command.addOption(settingOption(name, flagged.flag, AWS_OPTIONS_HEADING));
  }
  return command;
}

export function addCatalogOptions(command: Command): Command {
  for (const { name, flag } of FLAGGED) if (!AWS_SETTINGS.includes(name)) command.addOption(settingOption(name, flag, CATALOG_OPTIONS_HEADING));
  return command.addOption(new Option('--no-bundled', 'never fall back to the bundled catalog').helpGroup(CATALOG_OPTIONS_HEADING));
}

/** The shared options as the user gave them: the settings they set for this run, the endpoint, and --no-bundled. */
export interface SharedOptions {
  /** Only the settings given on the command line: they win over the settings file for this run. */
  overrides: Partial<Settings>;
  /** Send every Bedrock call here instead of AWS (a VPC endpoint, a proxy, or the emulator). */
  endpointUrl: string | null;
  /** false with --no-bundled: never fall back to the bundled catalog. */
  bundled: boolean;
}

/**
 * Reads the shared options back. A setting counts only when the user gave it (on the command line, or through its
 * environment variable); `source` answers where a value came from (commander's `getOptionValueSource`).
 */
export function readSharedOptions(opts: Record<string, unknown>, source: (attribute: string) => string | undefined = () => 'cli'): SharedOptions {
  const overrides: Record<string, unknown> = {};
  for (const { name, attribute } of FLAGGED) {
    if (opts[attribute] === undefined || !['cli', 'env'].includes(source(attribute) ?? '')) continue;
    overrides[name] = opts[attribute];
  }
  return {
    overrides: overrides as Partial<Settings>,
    endpointUrl: (opts.endpointUrl as string | undefined) ?? null,
    bundled: opts.bundled !== false,
  };
}
