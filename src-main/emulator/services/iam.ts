import type { Scenario } from '../scenario';
import { sleep } from '../timing';
import type { EmulatedService } from './service';
import { QueryError, sendQueryResult, xmlFields } from './query-protocol';

/**
 * IAM over the query protocol, as far as the access doctor asks it: SimulatePrincipalPolicy evaluates the
 * scenario's `iam` rules for each action × resource and answers in the shape of the real responses kept in
 * src-main/core/access/fixtures (EvalDecision, MatchedStatements, PermissionsBoundaryDecisionDetail, one
 * ResourceSpecificResults entry per resource, and OrganizationsDecisionDetail only when the account is in an
 * organization); GetRole answers a role's path. IAM is global: every call is signed for us-east-1.
 */

const NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

interface Evaluation {
  decision: Decision;
  allowedByOrganizations: boolean;
  statement: string | null;
}

/** `name.member.N` values of a query-protocol list, in order. */
function members(parameters: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (let index = 1; parameters.has(`${name}.member.${index}`); index += 1) values.push(parameters.get(`${name}.member.${index}`)!);
  return values;
}

function contextEntries(parameters: URLSearchParams): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (let index = 1; parameters.has(`ContextEntries.member.${index}.ContextKeyName`); index += 1) {
    const name = parameters.get(`ContextEntries.member.${index}.ContextKeyName`)!.toLowerCase();
    entries.set(name, members(parameters, `ContextEntries.member.${index}.ContextKeyValues`));
  }
  return entries;
}

/** IAM's wildcard match: `*` any run of characters, `?` one; case-sensitive for ARNs, as IAM compares resources. */
export function wildcardMatches(pattern: string, value: string, { ignoreCase = false } = {}): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function evaluate(iam: Scenario['iam'], action: string, resource: string, requestedRegions: string[] | undefined): Evaluation {
  const matching = iam.deny.filter(
    (rule) =>
      wildcardMatches(rule.action, action, { ignoreCase: true }) &&
      wildcardMatches(rule.resource, resource) &&
      (rule.region === undefined || (requestedRegions ?? []).includes(rule.region)),
  );
  const organization = matching.find((rule) => rule.byOrganization);
  if (organization) return { decision: 'explicitDeny', allowedByOrganizations: false, statement: 'scp-deny' };
  if (matching.length > 0) return { decision: 'explicitDeny', allowedByOrganizations: true, statement: 'bedrock-explicit-deny' };
  if (iam.allowedRegions && !(requestedRegions ?? []).some((region) => iam.allowedRegions!.includes(region))) {
    return { decision: 'implicitDeny', allowedByOrganizations: true, statement: null };
  }
  return { decision: 'allowed', allowedByOrganizations: true, statement: 'bedrock-invoke' };
}

function matchedStatementXml(statement: string | null): string {
  if (!statement) return '<MatchedStatements/>';
  const position = (line: number, column: number) => `<Line>${line}</Line><Column>${column}</Column>`;
  return (
    `<MatchedStatements><member>${xmlFields({ SourcePolicyId: statement, SourcePolicyType: statement === 'scp-deny' ? 'organizations' : 'IAM Policy' })}` +
    `<StartPosition>${position(3, 17)}</StartPosition><EndPosition>${position(23, 6)}</EndPosition></member></MatchedStatements>`
  );
}

function resultXml(action: string, resource: string, evaluation: Evaluation, inOrganization: boolean): string {
  const organizations = inOrganization ? `<OrganizationsDecisionDetail><AllowedByOrganizations>${evaluation.allowedByOrganizations}</AllowedByOrganizations></OrganizationsDecisionDetail>` : '';
  const boundary = '<PermissionsBoundaryDecisionDetail><AllowedByPermissionsBoundary>true</AllowedByPermissionsBoundary></PermissionsBoundaryDecisionDetail>';
  const statements = matchedStatementXml(evaluation.statement);
  return (
    `<member>${xmlFields({ EvalActionName: action, EvalResourceName: resource, EvalDecision: evaluation.decision })}${statements}<MissingContextValues/>` +
    `${organizations}${boundary}<EvalDecisionDetails/>` +
    `<ResourceSpecificResults><member>${xmlFields({ EvalResourceName: resource, EvalResourceDecision: evaluation.decision })}${statements}<MissingContextValues/>${boundary}</member></ResourceSpecificResults>` +
    `</member>`
  );
}

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role|group)(\/(?:[^/]+\/)*)([^/]+)$/;

/** The policy source must be an IAM user, group or role ARN, and a role's path must be the role's own. */
function checkPolicySource(arn: string, scenario: Scenario): void {
  const match = PRINCIPAL_ARN.exec(arn);
  if (!match) throw new QueryError(400, 'InvalidInput', `Invalid ARN ${arn}: PolicySourceArn must be the ARN of an IAM user, group or role.`);
  const [, , kind, path, name] = match;
  if (kind === 'role') {
    const expected = roleOf(scenario, name!).path;
    if (path !== expected) throw new QueryError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
  }
}

function roleOf(scenario: Scenario, name: string): { name: string; path: string } {
  return scenario.iam.roles.find((role) => role.name === name) ?? { name, path: '/' };
}

/** The identity's own words when IAM refuses it: "User: <arn> is not authorized to perform: <action> …". */
function notAuthorized(scenario: Scenario, action: string, resource: string): QueryError {
  return new QueryError(
    403,
    'AccessDenied',
    `User: ${scenario.identity.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );
}

export const iamService: EmulatedService = {
  signingName: 'iam',
  protocol: 'query',
  async answer({ response, operation, parameters, accessKeyId, scenario, requestId }) {
    const query = parameters as URLSearchParams;
    if (scenario.iam.latencyMs > 0) await sleep(scenario.iam.latencyMs);
    if (accessKeyId.startsWith('ASIAEXPIRED') || scenario.iam.expiredSession) throw new QueryError(403, 'ExpiredToken', 'The security token included in the request is expired');
    switch (operation) {
      case 'SimulatePrincipalPolicy': {
        const source = query.get('PolicySourceArn') ?? '';
        if (scenario.iam.simulatorDenied) throw notAuthorized(scenario, 'iam:SimulatePrincipalPolicy', source);
        checkPolicySource(source, scenario);
        const actions = members(query, 'ActionNames');
        if (actions.length === 0) throw new QueryError(400, 'ValidationError', "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
        const resources = members(query, 'ResourceArns');
        const requestedRegions = contextEntries(query).get('aws:requestedregion');
        const inOrganization = scenario.iam.inOrganization || scenario.iam.deny.some((rule) => rule.byOrganization);
        const results = actions.flatMap((action) =>
          (resources.length > 0 ? resources : ['*']).map((resource) => resultXml(action, resource, evaluate(scenario.iam, action, resource, requestedRegions), inOrganization)),
        );
        sendQueryResult(response, operation, NAMESPACE, `<EvaluationResults>${results.join('')}</EvaluationResults><IsTruncated>false</IsTruncated>`, requestId);
        return;
      }
      case 'GetRole': {
        const name = query.get('RoleName') ?? '';
        if (scenario.iam.getRoleDenied) throw notAuthorized(scenario, 'iam:GetRole', `role ${name}`);
        const role = roleOf(scenario, name);
        const arn = `arn:aws:iam::${scenario.identity.account}:role${role.path}${role.name}`;
        const fields = xmlFields({ Path: role.path, RoleName: role.name, RoleId: 'AROAEMULATORROLE0001', Arn: arn, CreateDate: '2026-01-05T09:00:00Z' });
        sendQueryResult(response, operation, NAMESPACE, `<Role>${fields}</Role>`, requestId);
        return;
      }
      default:
        throw new QueryError(400, 'InvalidAction', `Could not find operation ${operation} for version 2010-05-08`);
    }
  },
};
