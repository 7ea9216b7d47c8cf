import { readFileSync } from 'node:fs';
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ListAWSDefaultServiceQuotasCommand,
  ListRequestedServiceQuotaChangeHistoryByQuotaCommand,
  ListServiceQuotasCommand,
  paginateListServiceQuotas,
  RequestServiceQuotaIncreaseCommand,
  type ServiceQuota,
  type ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { describe, expect, it } from 'vitest';
import { emulatorPerFile } from '../../testing/emulator-per-file';
import { poolPerFile } from '../../testing/pool-per-file';
import { classifyAwsError } from '../../core/aws/errors';
import { SERVICE_QUOTAS } from '../../core/aws/services';
import { rejection } from '../emulator-harness';
import { synthesisedQuotaCode } from '../quota-data';
import { parseScenario, ScenarioError, type ScenarioInput } from '../scenario';

/** The emulator's Service Quotas through the real `@aws-sdk/client-service-quotas`, over loopback HTTP. */

const emulator = emulatorPerFile();
const clients = poolPerFile(emulator, 'AKIDQUOTAS');

const recorded = JSON.parse(readFileSync(new URL('../recordings/service-quotas.bedrock.us-east-1.json', import.meta.url), 'utf8')) as {
  quotas: { quotaCode: string; quotaName: string; value: number; adjustable: boolean }[];
};
const recordedValue = (code: string) => recorded.quotas.find((quota) => quota.quotaCode === code)!.value;

const quotasIn = (region: string): Promise<ServiceQuotasClient> => clients().client(SERVICE_QUOTAS, region);
const given = (scenario: ScenarioInput) => emulator.setScenario(parseScenario(scenario));

async function allQuotas(region: string, operation: 'applied' | 'default' = 'applied'): Promise<ServiceQuota[]> {
  const client = await quotasIn(region);
  const quotas: ServiceQuota[] = [];
  let token: string | undefined;
  do {
    const input = { ServiceCode: 'bedrock', ...(token ? { NextToken: token } : {}) };
    const answer = await client.send(operation === 'applied' ? new ListServiceQuotasCommand(input) : new ListAWSDefaultServiceQuotasCommand(input));
    quotas.push(...(answer.Quotas ?? []));
    token = answer.NextToken;
  } while (token);
  return quotas;
}

const byCode = (quotas: ServiceQuota[], code: string) => quotas.find((quota) => quota.QuotaCode === code);

// Sonnet 4.5: cross-region tokens per minute, global tokens per minute (both in the recordings and the index).
const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const SONNET_45_GEO_TPM = 'L-F4DDD3EB';
const SONNET_45_GLOBAL_TPM = 'L-27C57EE8';

describe('Service Quotas ListServiceQuotas', () => {
  it('pages 100 at a time by default, and every recorded quota comes back once, names exactly as AWS spells them', async () => {
    const client = await quotasIn('us-east-1');
    const sizes: number[] = [];
    const names: string[] = [];
    for await (const answer of paginateListServiceQuotas({ client }, { ServiceCode: 'bedrock' })) {
      sizes.push(answer.Quotas!.length);
      names.push(...answer.Quotas!.map((quota) => quota.QuotaName!));
    }
    expect(sizes).toEqual([100, 100, 100, recorded.quotas.length - 300]);
    expect(names).toEqual(recorded.quotas.map((quota) => quota.quotaName));
    expect(names).toContain('Model units per provisioned model for the 24k context length variant for Amazon Nova Micro ');
    expect(names.some((name) => name.includes('Provisioned Throughout'))).toBe(true);
    expect(names.some((name) => name.startsWith('Cross-Region model inference'))).toBe(true);
    expect(emulator.stats().requests['us-east-1']).toEqual({ 'servicequotas:ListServiceQuotas': 4 });
  });

  it('answers in the ServiceQuota shape: ARN of the region and account, Amazon Bedrock, ACCOUNT level', async () => {
    const quota = byCode(await allQuotas('eu-west-3'), SONNET_45_GEO_TPM)!;
    expect(quota).toEqual({
      ServiceCode: 'bedrock',
      ServiceName: 'Amazon Bedrock',
      QuotaArn: `arn:aws:servicequotas:eu-west-3:123456789012:bedrock/${SONNET_45_GEO_TPM}`,
      QuotaCode: SONNET_45_GEO_TPM,
      QuotaName: 'Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1',
      Value: 5_000_000,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: false,
      QuotaAppliedAtLevel: 'ACCOUNT',
    });
  });

  it('honours MaxResults and the scenario page size, and refuses a MaxResults over 100 and a token it did not hand out', async () => {
    given({ quotas: { pageSize: 40 } });
    const client = await quotasIn('us-east-1');
    const first = await client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', MaxResults: 100 }));
    expect(first.Quotas).toHaveLength(40);
    const second = await client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', MaxResults: 7, NextToken: first.NextToken }));
    expect(second.Quotas!.map((quota) => quota.QuotaName)).toEqual(recorded.quotas.slice(40, 47).map((quota) => quota.quotaName));
    expect((await rejection(client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', MaxResults: 101 })))).name).toBe('ValidationException');
    const forged = await rejection(client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', NextToken: 'bm90LWEtdG9rZW4=' })));
    expect(forged.name).toBe('InvalidPaginationTokenException');
    const otherListing = await rejection(client.send(new ListAWSDefaultServiceQuotasCommand({ ServiceCode: 'bedrock', NextToken: first.NextToken })));
    expect(otherListing.name).toBe('InvalidPaginationTokenException');
  });

  it('serves the same codes in every region, with eu-west-1 values where its recording differs', async () => {
    const [usEast1, euWest1, sydney] = await Promise.all([allQuotas('us-east-1'), allQuotas('eu-west-1'), allQuotas('ap-southeast-2')]);
    expect(euWest1.map((quota) => quota.QuotaCode)).toEqual(usEast1.map((quota) => quota.QuotaCode));
    expect(byCode(usEast1, 'L-89F8391A')!.Value).toBe(4000);
    expect(byCode(euWest1, 'L-89F8391A')!.Value).toBe(400);
    expect(byCode(euWest1, 'L-DC7FF66C')!.Value).toBe(400_000);
    expect(byCode(sydney, 'L-89F8391A')!.Value).toBe(4000);
  });

  it('answers NoSuchResourceException for another service code, and UnrecognizedClientException where the account has not enabled the region', async () => {
    const wrongService = await rejection((await quotasIn('us-east-1')).send(new ListServiceQuotasCommand({ ServiceCode: 'ec2x' })));
    expect(wrongService.name).toBe('NoSuchResourceException');
    const notEnabled = await rejection((await quotasIn('me-south-1')).send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock' })));
    expect(notEnabled.name).toBe('UnrecognizedClientException');
    expect(classifyAwsError(notEnabled).errorClass).toBe('credentials');
  });
});

describe('applied and default values from the scenario', () => {
  it('an applied value above the default: ListServiceQuotas and GetServiceQuota answer it, the default calls the recorded one', async () => {
    given({ quotas: { rules: [{ region: 'us-east-1', modelId: SONNET_45, routeKind: 'geo-profile', unit: 'tokensPerMinute', applied: 12_000_000 }] } });
    expect(byCode(await allQuotas('us-east-1'), SONNET_45_GEO_TPM)!.Value).toBe(12_000_000);
    expect(byCode(await allQuotas('us-east-1', 'default'), SONNET_45_GEO_TPM)!.Value).toBe(recordedValue(SONNET_45_GEO_TPM));
    const client = await quotasIn('us-east-1');
    expect((await client.send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: SONNET_45_GEO_TPM }))).Quota!.Value).toBe(12_000_000);
    expect((await client.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: SONNET_45_GEO_TPM }))).Quota!.Value).toBe(5_000_000);
    // Only the rule's region and route change.
    expect(byCode(await allQuotas('us-west-2'), SONNET_45_GEO_TPM)!.Value).toBe(5_000_000);
    expect(byCode(await allQuotas('us-east-1'), SONNET_45_GLOBAL_TPM)!.Value).toBe(recordedValue(SONNET_45_GLOBAL_TPM));
  });

  it('a quota of 0 is served as 0, applied and default apart', async () => {
    given({ quotas: { rules: [{ region: '*', modelId: SONNET_45, routeKind: 'global-profile', unit: 'tokensPerMinute', applied: 0, default: 3_000_000, adjustable: false }] } });
    const applied = byCode(await allQuotas('eu-central-1'), SONNET_45_GLOBAL_TPM)!;
    expect(applied).toMatchObject({ Value: 0, Adjustable: false });
    expect(byCode(await allQuotas('eu-central-1', 'default'), SONNET_45_GLOBAL_TPM)!.Value).toBe(3_000_000);
  });

  it('the more specific rule wins whatever the order, and a default alone is the applied value too', async () => {
    given({
      quotas: {
        rules: [
          { region: 'us-east-1', modelId: SONNET_45, routeKind: 'geo-profile', unit: 'tokensPerMinute', applied: 7 },
          { region: '*', modelId: '*', routeKind: 'geo-profile', unit: 'tokensPerMinute', default: 1000 },
        ],
      },
    });
    const quotas = await allQuotas('us-east-1');
    expect(byCode(quotas, SONNET_45_GEO_TPM)!.Value).toBe(7);
    expect(byCode(quotas, 'L-DC7FF66C')!.Value).toBe(1000); // Nova Micro's cross-region tokens per minute
    expect(byCode(await allQuotas('us-east-1', 'default'), SONNET_45_GEO_TPM)!.Value).toBe(1000);
  });

  it('a route with no recorded quota gets a stable made-up code and a name in AWS pattern', async () => {
    given({ quotas: { rules: [{ modelId: 'openai.gpt-5.5', routeKind: 'global-profile', unit: 'tokensPerMinute', applied: 250_000, default: 100_000 }] } });
    const code = synthesisedQuotaCode('openai.gpt-5.5', 'global-profile', 'tokensPerMinute');
    expect(code).toMatch(/^L-EMU[0-9A-F]{5}$/);
    const quota = byCode(await allQuotas('us-east-1'), code)!;
    expect(quota).toMatchObject({ Value: 250_000, Adjustable: true });
    expect(quota.QuotaName).toMatch(/^Global cross-region model inference tokens per minute for OpenAI /);
    expect(byCode(await allQuotas('us-east-1', 'default'), code)!.Value).toBe(100_000);
  });

  it('serves extra quotas with made-up names as they are, in their region only', async () => {
    given({
      quotas: {
        extra: [
          { region: 'us-east-2', quotaCode: 'L-0000AAAA', quotaName: 'On-demand model inference tokens per minute for Unheard Model 9', value: 1234 },
          { region: 'us-east-2', quotaCode: 'L-0000BBBB', quotaName: 'Cross-region model inference tokens per minute for Anthropic Claude', value: 5, adjustable: true },
        ],
      },
    });
    const quotas = await allQuotas('us-east-2');
    expect(byCode(quotas, 'L-0000AAAA')).toMatchObject({ QuotaName: 'On-demand model inference tokens per minute for Unheard Model 9', Value: 1234, Adjustable: false });
    expect(byCode(quotas, 'L-0000BBBB')).toMatchObject({ Value: 5, Adjustable: true });
    expect(byCode(await allQuotas('us-east-1'), 'L-0000AAAA')).toBeUndefined();
  });

  it('refuses rules that say nothing, negative values and unknown route kinds, naming the field', () => {
    const refusal = (quotas: unknown) => {
      try {
        parseScenario({ quotas });
      } catch (error) {
        expect(error).toBeInstanceOf(ScenarioError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal({ rules: [{ modelId: SONNET_45, routeKind: 'geo-profile', unit: 'tokensPerMinute' }] })).toMatch(/quotas\.rules\.0: a quota rule sets at least one/);
    expect(refusal({ rules: [{ routeKind: 'geo-profile', unit: 'tokensPerMinute', applied: -1 }] })).toMatch(/quotas\.rules\.0\.applied/);
    expect(refusal({ rules: [{ routeKind: 'cross-region', unit: 'tokensPerMinute', applied: 1 }] })).toMatch(/quotas\.rules\.0\.routeKind/);
    expect(refusal({ pageSize: 101 })).toMatch(/quotas\.pageSize/);
  });
});

describe('refused and failing regions', () => {
  it('a denied region answers AccessDeniedException naming the action, a failing one ServiceException; the others answer', async () => {
    given({ quotas: { denied: ['ap-northeast-1'], failing: ['sa-east-1'] } });
    const denied = await rejection((await quotasIn('ap-northeast-1')).send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toMatch(/not authorized to perform: servicequotas:ListServiceQuotas/);
    expect(classifyAwsError(denied).errorClass).toBe('accessDenied');
    const failing = await rejection((await quotasIn('sa-east-1')).send(new ListAWSDefaultServiceQuotasCommand({ ServiceCode: 'bedrock' })));
    expect(failing.name).toBe('ServiceException');
    expect(failing.$metadata?.httpStatusCode).toBe(500);
    expect((await allQuotas('us-east-1')).length).toBe(recorded.quotas.length);
  });

  it('throttles the first N calls of a region with TooManyRequestsException, which the SDK counts as throttling', async () => {
    given({ quotas: { throttled: [{ region: 'eu-west-2', firstN: 2 }] } });
    const client = await quotasIn('eu-west-2');
    for (let attempt = 0; attempt < 2; attempt++) {
      const throttled = await rejection(client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', MaxResults: 1 })));
      expect(throttled.name).toBe('TooManyRequestsException');
      expect(classifyAwsError(throttled).errorClass).toBe('throttled');
    }
    expect((await client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', MaxResults: 1 }))).Quotas).toHaveLength(1);
  });
});

describe('quota increase requests', () => {
  it('takes a request for an adjustable quota as PENDING and lists it by quota; a second one is already pending', async () => {
    const client = await quotasIn('us-east-1');
    const { RequestedQuota } = await client.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'bedrock', QuotaCode: SONNET_45_GEO_TPM, DesiredValue: 8_000_000 }));
    expect(RequestedQuota).toMatchObject({ QuotaCode: SONNET_45_GEO_TPM, DesiredValue: 8_000_000, Status: 'PENDING', ServiceName: 'Amazon Bedrock', QuotaRequestedAtLevel: 'ACCOUNT' });
    expect(RequestedQuota!.Created).toBeInstanceOf(Date);
    const history = await client.send(new ListRequestedServiceQuotaChangeHistoryByQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: SONNET_45_GEO_TPM }));
    expect(history.RequestedQuotas!.map((request) => request.Id)).toEqual([RequestedQuota!.Id]);
    const again = await rejection(client.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'bedrock', QuotaCode: SONNET_45_GEO_TPM, DesiredValue: 9_000_000 })));
    expect(again.name).toBe('ResourceAlreadyExistsException');
    // The applied value does not change until AWS approves.
    expect(byCode(await allQuotas('us-east-1'), SONNET_45_GEO_TPM)!.Value).toBe(5_000_000);
    // Another region has its own requests.
    const elsewhere = await (await quotasIn('us-west-2')).send(new ListRequestedServiceQuotaChangeHistoryByQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: SONNET_45_GEO_TPM }));
    expect(elsewhere.RequestedQuotas).toEqual([]);
  });

  it('refuses a quota that is not adjustable, a value not above the current one, and an unknown code', async () => {
    const client = await quotasIn('us-east-1');
    const fixed = recorded.quotas.find((quota) => !quota.adjustable && quota.quotaName.startsWith('On-demand model inference tokens per minute'))!;
    const notAdjustable = await rejection(client.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'bedrock', QuotaCode: fixed.quotaCode, DesiredValue: fixed.value * 2 })));
    expect(notAdjustable.name).toBe('IllegalArgumentException');
    const notAbove = await rejection(client.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'bedrock', QuotaCode: SONNET_45_GEO_TPM, DesiredValue: 5_000_000 })));
    expect(notAbove.name).toBe('IllegalArgumentException');
    const unknown = await rejection(client.send(new GetServiceQuotaCommand({ ServiceCode: 'bedrock', QuotaCode: 'L-NOPE0000' })));
    expect(unknown.name).toBe('NoSuchResourceException');
  });
});
