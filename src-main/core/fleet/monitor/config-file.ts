import { readFile } from 'node:fs/promises';
import { MonitorConfigSchema, monitorConfigIssues, type MonitorConfig, type MonitorConfigIssue } from '../../../../src-shared/fleet/monitor-config';

/**
 * Reads a monitor's config file: JSON, checked against the schema. Nothing is created or written here, so a bad
 * config leaves no trace; the error names the file and every field that is wrong, with what it must be.
 */

export class MonitorConfigError extends Error {
  override readonly name = 'MonitorConfigError';
  constructor(
    readonly path: string,
    readonly issues: MonitorConfigIssue[],
    summary: string,
  ) {
    super(summary);
  }
}

/** A config file larger than this is not a monitor's config (and reading it whole would be a mistake). */
const MAX_CONFIG_BYTES = 1_000_000;

export function parseMonitorConfig(text: string, path: string): MonitorConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MonitorConfigError(path, [], `${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = MonitorConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = monitorConfigIssues(parsed.error);
  throw new MonitorConfigError(path, issues, `${path} is not a valid monitor config:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`);
}

export async function loadMonitorConfig(path: string): Promise<MonitorConfig> {
  let text: string;
  try {
    const buffer = await readFile(path);
    if (buffer.length > MAX_CONFIG_BYTES) throw new MonitorConfigError(path, [], `${path} is ${buffer.length} bytes: a monitor config is a small JSON file.`);
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof MonitorConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? (error as Error).message);
    throw new MonitorConfigError(path, [], `Cannot read the monitor config ${path}: ${why}.`);
  }
  return parseMonitorConfig(text, path);
}
