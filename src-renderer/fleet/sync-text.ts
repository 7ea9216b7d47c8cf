import type { FleetProblem, FleetProblemKind, FleetSyncProgress, FleetSyncResult } from '../../src-shared/contract/fleet';

/** Byte counts for people: 812 B, 14.2 kB, 3.1 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const parts = (count: number) => `${count} part${count === 1 ? '' : 's'}`;

/** The running sync in one line: what the listing found, then parts downloaded of those to fetch, unchanged and failed. */
export function describeProgress(progress: FleetSyncProgress | null): string {
  if (!progress) return 'starting…';
  if (progress.phase === 'listing') return `listing the store… ${parts(progress.listed)} found`;
  if (progress.phase === 'compacting') return `${parts(progress.listed)} listed · ${progress.downloaded} downloaded · compacting the cache for queries…`;
  const counts = [`${progress.downloaded}/${progress.toDownload} downloaded`, `${progress.skipped} unchanged`];
  if (progress.failed > 0) counts.push(`${progress.failed} failed`);
  return `${parts(progress.listed)} listed · ${counts.join(' · ')}`;
}

/** How the last sync ended, in one sentence with its counts. */
export function describeSyncResult(result: FleetSyncResult): string {
  const counts = `${parts(result.listed)} listed, ${result.downloaded} downloaded (${formatBytes(result.bytes)}), ${result.skipped} unchanged, ${result.failed} failed`;
  const removed = result.removed > 0 ? `, ${result.removed} removed from the cache (gone from the store)` : '';
  switch (result.status) {
    case 'completed':
      return `Synced: ${counts}${removed}.`;
    case 'partial':
      return `Synced in part: ${counts}${removed}. The failed parts are tried again next sync.`;
    case 'cancelled':
      return `Cancelled: ${counts}. The parts downloaded before the cancel are kept.`;
    case 'unreachable':
      return 'The store could not be listed (the problem is named below): any data synced before stays readable.';
  }
}

export const PROBLEM_TITLE: Record<FleetProblemKind, string> = {
  unreachable: 'Store unreachable',
  denied: 'Access denied',
  'download-failed': 'Download failed',
  corrupt: 'Unreadable part, skipped',
  'newer-schema': 'Written by a newer Bedrock Atlas',
};

/** The store as a whole could not be read (the last synced data is what the app shows). */
export const storeProblem = (problems: readonly FleetProblem[]): FleetProblem | undefined => problems.find((problem) => problem.kind === 'unreachable' || problem.kind === 'denied');

/** "2 unreadable parts skipped, 1 part written by a newer Bedrock Atlas": the parts a store gave only in part. */
export function describePartProblems(problems: readonly FleetProblem[]): string | null {
  const count = (kind: FleetProblemKind) => problems.filter((problem) => problem.kind === kind).length;
  const said = [
    count('corrupt') > 0 ? `${parts(count('corrupt'))} unreadable, skipped` : null,
    count('newer-schema') > 0 ? `${parts(count('newer-schema'))} written by a newer Bedrock Atlas (read for the columns this version knows)` : null,
    count('download-failed') > 0 ? `${parts(count('download-failed'))} not downloaded (tried again next sync)` : null,
  ].filter((text) => text !== null);
  return said.length > 0 ? said.join('; ') : null;
}
