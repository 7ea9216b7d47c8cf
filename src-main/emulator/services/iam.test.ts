import { readFileSync } from 'node:fs';
import { GetRoleCommand, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { poolPerFile } from '../../testing/pool-per-file';
import { classifyAwsError } from '../../core/aws/errors';
import { IAM } from '../../core/aws/services';
import { parseScenario, type ScenarioInput } from '../scenario';

/** The emulator's IAM through the real `@aws-sdk/client-iam`, over loopback HTTP, on the port that serves Bedrock. */

const emulator = emulatorPerFile();
const clients = poolPerFile(emulator, 'AKIDIAMTEST');

const USER = 'arn:aws:iam::123456789012:user/Alice';
const FM = (region: string) => `arn:aws:bedrock:${region}::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0`;

async function simulate(scenario: ScenarioInput, input: Partial<SimulatePrincipalPolicyCommandInput> = {}) {
  emulator.setScenario(parseScenario(scenario));
  return (await clients().client(IAM, 'eu-west-3')).send(
    new SimulatePrincipalPolicyCommand({ PolicySourceArn: USER, ActionNames: ['bedrock:InvokeModel'], ResourceArns: [FM('eu-west-3')], ...input }),
  );
}

const region = (value: string) => ({ ContextEntries: [{ ContextKeyName: 'aws:RequestedRegion', ContextKeyValues: [value], ContextKeyType: 'string' as const }] });

describe('IAM SimulatePrincipalPolicy', () => {
  it('answers allowed in the shape of the real response, signed for us-east-1 whatever region the caller works in', async () => {
    const answer = await simulate({}, region('eu-west-3'));
    const real = JSON.parse(readFileSync(new URL('../../core/access/fixtures/simulate-principal-policy.allowed.json', import.meta.url), 'utf8')) as { EvaluationResults: Record<string, unknown>[] };
    expect(Object.keys(answer.EvaluationResults![0]!).sort()).toEqual(Object.keys(real.EvaluationResults[0]!).sort());
    expect(answer.EvaluationResults![0]).toMatchObject({ EvalActionName: 'bedrock:InvokeModel', EvalResourceName: FM('eu-west-3'), EvalDecision: 'allowed' });
    expect(answer.EvaluationResults![0]!.OrganizationsDecisionDetail).toBeUndefined();
    expect(answer.IsTruncated).toBe(false);
    expect(emulator.stats().requests['us-east-1']).toEqual({ 'iam:SimulatePrincipalPolicy': 1 });
  });

  it('answers one result per action and resource, in order', async () => {
    const answer = await simulate({}, { ActionNames: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], ResourceArns: [FM('eu-west-1'), FM('eu-west-3')] });
    expect(answer.EvaluationResults!.map((result) => [result.EvalActionName, result.EvalResourceName])).toEqual([
      ['bedrock:InvokeModel', FM('eu-west-1')],
      ['bedrock:InvokeModel', FM('eu-west-3')],
      ['bedrock:InvokeModelWithResponseStream', FM('eu-west-1')],
      ['bedrock:InvokeModelWithResponseStream', FM('eu-west-3')],
    ]);
  });

  it('an organization rule on one region is an explicit deny with AllowedByOrganizations false there, true elsewhere', async () => {
    const scenario = { iam: { deny: [{ resource: 'arn:aws:bedrock:eu-south-2::*', byOrganization: true }] } };
    const denied = await simulate(scenario, { ResourceArns: [FM('eu-south-2')], ...region('eu-south-2') });
    expect(denied.EvaluationResults![0]).toMatchObject({ EvalDecision: 'explicitDeny', OrganizationsDecisionDetail: { AllowedByOrganizations: false } });
    const allowed = await simulate(scenario, region('eu-west-3'));
    expect(allowed.EvaluationResults![0]).toMatchObject({ EvalDecision: 'allowed', OrganizationsDecisionDetail: { AllowedByOrganizations: true } });
  });

  it('a rule on aws:RequestedRegion matches only that context value', async () => {
    const scenario = { iam: { deny: [{ action: 'bedrock:Invoke*', region: 'unspecified' }] } };
    const global = 'arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0';
    expect((await simulate(scenario, { ResourceArns: [global], ...region('unspecified') })).EvaluationResults![0]!.EvalDecision).toBe('explicitDeny');
    expect((await simulate(scenario, { ResourceArns: [global], ...region('eu-west-3') })).EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });

  it('a region allow-list denies any other requested region implicitly, "unspecified" included', async () => {
    const scenario = { iam: { allowedRegions: ['eu-west-3', 'eu-west-1'] } };
    expect((await simulate(scenario, region('unspecified'))).EvaluationResults![0]!.EvalDecision).toBe('implicitDeny');
    expect((await simulate(scenario, region('eu-west-1'))).EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });

  it('refuses a caller without iam:SimulatePrincipalPolicy with AccessDenied (403), which the error model calls access denied', async () => {
    const failure = await simulate({ iam: { simulatorDenied: true } }).catch((error: unknown) => error);
    expect(classifyAwsError(failure)).toMatchObject({ errorClass: 'accessDenied', name: 'AccessDenied', httpStatus: 403 });
    expect((failure as Error).message).toContain('is not authorized to perform: iam:SimulatePrincipalPolicy');
  });

  it('refuses an STS session ARN as the policy source, and a role ARN without its path', async () => {
    const session = await simulate({}, { PolicySourceArn: 'arn:aws:sts::123456789012:assumed-role/Dev/alice' }).catch((error: unknown) => error);
    expect((session as Error).name).toBe('InvalidInputException');
    const scenario = { iam: { roles: [{ name: 'AWSReservedSSO_Dev_0123456789abcdef', path: '/aws-reserved/sso.amazonaws.com/' }] } };
    const pathless = await simulate(scenario, { PolicySourceArn: 'arn:aws:iam::123456789012:role/AWSReservedSSO_Dev_0123456789abcdef' }).catch((error: unknown) => error);
    expect((pathless as Error).name).toBe('NoSuchEntityException');
    const withPath = await simulate(scenario, { PolicySourceArn: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef' });
    expect(withPath.EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });
});

describe('IAM GetRole', () => {
  it("answers a role's path and ARN, or AccessDenied when the caller may not read roles", async () => {
    emulator.setScenario(parseScenario({ iam: { roles: [{ name: 'AWSReservedSSO_Dev_0123456789abcdef', path: '/aws-reserved/sso.amazonaws.com/' }] } }));
    const role = await (await clients().client(IAM, 'us-east-1')).send(new GetRoleCommand({ RoleName: 'AWSReservedSSO_Dev_0123456789abcdef' }));
    expect(role.Role).toMatchObject({ Path: '/aws-reserved/sso.amazonaws.com/', Arn: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef' });
    emulator.setScenario(parseScenario({ iam: { getRoleDenied: true } }));
    const denied = await (await clients().client(IAM, 'us-east-1')).send(new GetRoleCommand({ RoleName: 'Dev' })).catch((error: unknown) => error);
    expect(classifyAwsError(denied).errorClass).toBe('accessDenied');
  });
});
