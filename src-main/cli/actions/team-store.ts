import { isAbsolute, resolve } from 'node:path';
import { formatStoreLocation, LOCAL_VANTAGE, ALL_VANTAGES, parseStoreLocation, type Settings } from '../../../src-shared/contract';
import type { AtlasCore } from '../../core/app/atlas-core';
import { teamFeature } from '../../core/fleet/team/feature';
import { callMethod, USAGE_CODES } from '../core-calls';
import { UsageError, type CommandIo } from '../io';
import type { SharedOptions } from '../options';

/**
 * `--store DIR|s3://…` and `--vantage NAME` of `history` and `rank`: the team's store synced (a directory read where
 * it is) before the query, and whose measurements the query reads. Without --store, a vantage other than local reads
 * what the Team data setting's store last synced.
 */

/** Refusals of what the user asked for: exit 2 (an unknown vantage names the known ones). */
export const TEAM_USAGE_CODES: ReadonlySet<string> = new Set([...USAGE_CODES, 'UNKNOWN_VANTAGE', 'TEAM_STORE_NOT_SET']);

/** The store given on the command line as the setting it overrides for this run (a relative directory made absolute). */
export function withStore(shared: SharedOptions, store: string | undefined): SharedOptions {
  if (store === undefined) return shared;
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(store.trim()) || isAbsolute(store) ? store.trim() : resolve(store);
  const parsed = parseStoreLocation(text);
  if ('error' in parsed) throw new UsageError(`--store: ${parsed.error}`);
  const teamStore: Settings['teamStore'] = formatStoreLocation(parsed);
  return { ...shared, overrides: { ...shared.overrides, teamStore } };
}

/** The vantage asked: --vantage, else all when a store was given (its data is why it was), else this machine. */
export function vantageOf(opts: Record<string, unknown>): string {
  return (opts.vantage as string | undefined) ?? (opts.store !== undefined ? ALL_VANTAGES : LOCAL_VANTAGE);
}

/** Syncs the store given with --store, saying on stderr what was fetched and what could not be read. */
export async function syncGivenStore(core: AtlasCore, io: CommandIo, store: string | undefined): Promise<void> {
  if (store === undefined) return;
  const team = core.exportsOf(teamFeature);
  if (core.settings().teamStore?.startsWith('s3://') === false) team.readDirectoryInPlace();
  const result = await callMethod(core, 'syncFleet', undefined, { usageCodes: TEAM_USAGE_CODES });
  const counts = `${result.listed} parts listed, ${result.downloaded} ${result.location.startsWith('s3://') ? 'downloaded' : 'read'}, ${result.skipped} unchanged${result.failed > 0 ? `, ${result.failed} failed` : ''}`;
  io.stderr(`Team store ${result.location}: ${result.status === 'unreachable' ? 'not reachable' : counts}.`);
  for (const problem of (await callMethod(core, 'fleetStatus', undefined)).problems) io.stderr(`  ${problem.kind}: ${problem.message}`);
}
