import type { AwsClientPool } from '../aws/client-pool';
import { classifyAwsError } from '../aws/errors';
import { IAM } from '../aws/services';

/**
 * The IAM principal whose policies the simulator evaluates, from the caller's ARN (STS GetCallerIdentity). A user's
 * ARN is one already. An assumed-role session (`arn:aws:sts::A:assumed-role/ROLE/SESSION`) must become the role's
 * ARN, path included: the session ARN carries no path, and IAM Identity Center's roles live under
 * `/aws-reserved/sso.amazonaws.com/`. The path is read with iam:GetRole when allowed; otherwise the SSO convention
 * (or `/`) is assumed, and the note says so.
 */

export interface Principal {
  /** The ARN to simulate (a user or role ARN). */
  arn: string;
  account: string;
  partition: string;
  /** How the ARN was made, when it is a guess. */
  note: string | null;
}

/** Why the caller cannot be simulated (the root user, a federated user). */
export class NotSimulatableError extends Error {
  override readonly name = 'NotSimulatable';
}

const SSO_ROLE_PREFIX = 'AWSReservedSSO_';
const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

interface ParsedCaller {
  partition: string;
  account: string;
  kind: 'user' | 'assumed-role' | 'root' | 'federated-user' | 'other';
  /** user: `path/name` after `user/`; assumed-role: the role name. */
  name: string;
}

export function parseCallerArn(arn: string): ParsedCaller | null {
  const match = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!match) return null;
  const [, partition, service, account, resource] = match as unknown as [string, string, string, string, string];
  if (service === 'iam' && resource === 'root') return { partition, account, kind: 'root', name: '' };
  if (service === 'iam' && resource.startsWith('user/')) return { partition, account, kind: 'user', name: resource.slice('user/'.length) };
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const role = resource.slice('assumed-role/'.length).split('/')[0] ?? '';
    return { partition, account, kind: 'assumed-role', name: role };
  }
  if (service === 'sts' && resource.startsWith('federated-user/')) return { partition, account, kind: 'federated-user', name: resource.slice('federated-user/'.length) };
  return { partition, account, kind: 'other', name: resource };
}

/** The role ARN the path convention gives when GetRole cannot be asked: SSO roles under aws-reserved, others at `/`. */
export function conventionalRoleArn(partition: string, account: string, role: string): string {
  return `arn:${partition}:iam::${account}:role${role.startsWith(SSO_ROLE_PREFIX) ? SSO_ROLE_PATH : '/'}${role}`;
}

export async function principalOf(callerArn: string, clients: AwsClientPool, signal?: AbortSignal): Promise<Principal> {
  const caller = parseCallerArn(callerArn);
  if (!caller) throw new NotSimulatableError(`the caller's ARN (${callerArn}) is not an IAM user or role session the simulator can evaluate`);
  const { partition, account } = caller;
  switch (caller.kind) {
    case 'user':
      return { arn: callerArn, account, partition, note: null };
    case 'root':
      throw new NotSimulatableError('the root user is not governed by IAM policies and the simulator cannot evaluate it');
    case 'federated-user':
      throw new NotSimulatableError(`a federated user session (${callerArn}) cannot be simulated: simulate the IAM user that federated it`);
    case 'other':
      throw new NotSimulatableError(`the caller's ARN (${callerArn}) is not an IAM user or role session the simulator can evaluate`);
    case 'assumed-role':
      break;
  }
  try {
    const answer = await (await clients.client(IAM, 'us-east-1')).send(new (await import('@aws-sdk/client-iam')).GetRoleCommand({ RoleName: caller.name }), { abortSignal: signal });
    if (answer.Role?.Arn) return { arn: answer.Role.Arn, account, partition, note: null };
  } catch (error) {
    const failure = classifyAwsError(error);
    // Only a refusal to read the role is worked around; an expired session or a dead network is the check's answer.
    if (failure.errorClass !== 'accessDenied' && failure.errorClass !== 'organizationPolicy') throw error;
  }
  const arn = conventionalRoleArn(partition, account, caller.name);
  const convention = caller.name.startsWith(SSO_ROLE_PREFIX) ? `IAM Identity Center's path ${SSO_ROLE_PATH}` : 'the path /';
  return { arn, account, partition, note: `iam:GetRole is not allowed, so the role's path was taken to be ${convention}` };
}
