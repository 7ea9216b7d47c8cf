/**
 * Where the monitor stands, asked of AWS when the config says `"vantage": { "name": …, "detect": "aws" }`: the ECS
 * task metadata endpoint (v4) on ECS and Fargate, else the EC2 instance metadata service with an IMDSv2 session
 * token. Each answer must come within a short timeout (off AWS there is nothing at 169.254.169.254 to answer, and a
 * monitor must not hang at start); any failure falls back to the configured name, said once. The token is never
 * logged or kept.
 */

export interface DetectedPlacement {
  region: string;
  availabilityZone: string | null;
  source: 'ecs' | 'imds';
}

export interface VantageResolution {
  /** The vantage name the monitor uses: the configured name, with the availability zone (or region) when detected. */
  name: string;
  placement: DetectedPlacement | null;
  /** What happened, for one log line: detected where, or why it fell back. */
  note: string;
}

export const METADATA_TIMEOUT_MS = 1_000;
/** The SDK's default IMDS address; AWS_EC2_METADATA_SERVICE_ENDPOINT overrides it, as in the SDK. */
const IMDS_DEFAULT = 'http://169.254.169.254';
const TOKEN_TTL_SECONDS = '60';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ZONE = /^[a-z]{2}(-[a-z]+)+-\d+[a-z0-9-]*$/;

/** The region of an ARN (`arn:aws:ecs:us-west-2:…`), or of a zone name (`us-west-2a` → `us-west-2`). */
function regionOf(arn: unknown, zone: string | null): string | null {
  const fromArn = typeof arn === 'string' ? arn.split(':')[3] : undefined;
  if (fromArn && REGION.test(fromArn)) return fromArn;
  const fromZone = zone ? /^([a-z]{2}(?:-[a-z]+)+-\d+)/.exec(zone)?.[1] : undefined;
  return fromZone ?? null;
}

async function fetchText(url: string, init: RequestInit, timeoutMs: number): Promise<string> {
  const answer = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  if (!answer.ok) throw new Error(`${new URL(url).pathname} answered HTTP ${answer.status}`);
  return (await answer.text()).trim();
}

async function fromEcs(base: string, timeoutMs: number): Promise<DetectedPlacement> {
  const task: unknown = JSON.parse(await fetchText(`${base.replace(/\/+$/, '')}/task`, {}, timeoutMs));
  if (typeof task !== 'object' || task === null) throw new Error('the task metadata is not an object');
  const fields = task as Record<string, unknown>;
  const zone = typeof fields.AvailabilityZone === 'string' && ZONE.test(fields.AvailabilityZone) ? fields.AvailabilityZone : null;
  const region = regionOf(fields.TaskARN, zone) ?? regionOf(fields.Cluster, zone);
  if (!region) throw new Error('the task metadata names no region');
  return { region, availabilityZone: zone, source: 'ecs' };
}

async function fromImds(base: string, timeoutMs: number): Promise<DetectedPlacement> {
  const root = base.replace(/\/+$/, '');
  const token = await fetchText(`${root}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS } }, timeoutMs);
  const read = (path: string) => fetchText(`${root}/latest/meta-data/placement/${path}`, { headers: { 'x-aws-ec2-metadata-token': token } }, timeoutMs);
  const [region, zone] = await Promise.all([read('region'), read('availability-zone')]);
  if (!REGION.test(region)) throw new Error('the instance metadata names no region');
  return { region, availabilityZone: ZONE.test(zone) ? zone : null, source: 'imds' };
}

/** Why a metadata call failed, in words without any of its headers or bodies. */
function failure(error: unknown): string {
  const named = error as Error;
  if (named.name === 'TimeoutError' || named.name === 'AbortError') return 'no answer in time';
  if (named.name === 'SyntaxError') return 'the answer is not JSON';
  const cause = (named as { cause?: { code?: string } }).cause?.code;
  return cause ?? named.message;
}

export async function resolveVantage(
  configured: string,
  detect: boolean,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = METADATA_TIMEOUT_MS,
): Promise<VantageResolution> {
  if (!detect) return { name: configured, placement: null, note: `vantage ${configured} (configured)` };
  const tried: string[] = [];
  const ecs = env.ECS_CONTAINER_METADATA_URI_V4;
  if (ecs) {
    try {
      return named(configured, await fromEcs(ecs, timeoutMs));
    } catch (error) {
      tried.push(`ECS task metadata: ${failure(error)}`);
    }
  }
  if ((env.AWS_EC2_METADATA_DISABLED ?? '').toLowerCase() !== 'true') {
    try {
      return named(configured, await fromImds(env.AWS_EC2_METADATA_SERVICE_ENDPOINT || IMDS_DEFAULT, timeoutMs));
    } catch (error) {
      tried.push(`instance metadata (IMDSv2): ${failure(error)}`);
    }
  } else tried.push('instance metadata: AWS_EC2_METADATA_DISABLED is true');
  return { name: configured, placement: null, note: `vantage detection failed (${tried.join('; ')}); using the configured name ${configured}` };
}

function named(configured: string, placement: DetectedPlacement): VantageResolution {
  const where = placement.availabilityZone ?? placement.region;
  const name = `${configured}.${where}`.slice(0, 63);
  return { name, placement, note: `vantage ${name} (${placement.source === 'ecs' ? 'ECS task metadata' : 'EC2 instance metadata'}: ${placement.region}${placement.availabilityZone ? `, ${placement.availabilityZone}` : ''})` };
}
