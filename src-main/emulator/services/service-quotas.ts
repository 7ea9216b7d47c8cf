import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { quotasOfRegion, type EmulatedQuota } from '../quota-data';
import { matchesRegion } from '../scenario';
import { regionalPreamble } from './context';
import { page, parseInput, sendJsonResult } from './json-protocol';
import { QueryError } from './query-protocol';
import type { EmulatedService, ServiceCall } from './service';

/**
 * Service Quotas (awsJson 1.1, `ServiceQuotasV20190624`, signed `servicequotas`), for the service code `bedrock`:
 * the applied and default values of every quota (paged as AWS pages, at most 100 a page), one quota by code, and
 * increase requests (taken, answered PENDING, listed by quota). The data and the scenario's rules are in
 * quota-data.ts; the scenario's `quotas` also denies, fails or throttles regions.
 */

const SERVICE_NAME = 'Amazon Bedrock';
const MAX_RESULTS = 100;

const ServiceCode = z.string().min(1).max(63);
const QuotaCode = z.string().min(1).max(128);
const MaxResults = z.number().int().min(1).max(MAX_RESULTS).optional();
const Level = z.enum(['ACCOUNT', 'RESOURCE', 'ALL']).optional();

const ListInput = z.object({ ServiceCode, NextToken: z.string().max(2048).optional(), MaxResults, QuotaCode: QuotaCode.optional(), QuotaAppliedAtLevel: Level });
const GetInput = z.object({ ServiceCode, QuotaCode, ContextId: z.string().optional() });
const IncreaseInput = z.object({ ServiceCode, QuotaCode, DesiredValue: z.number().min(0).max(10_000_000_000), ContextId: z.string().optional(), SupportCaseAllowed: z.boolean().optional() });
const HistoryInput = z.object({
  ServiceCode,
  QuotaCode,
  Status: z.enum(['PENDING', 'CASE_OPENED', 'APPROVED', 'DENIED', 'CASE_CLOSED', 'NOT_APPROVED', 'INVALID_REQUEST']).optional(),
  NextToken: z.string().max(2048).optional(),
  MaxResults,
  QuotaRequestedAtLevel: Level,
});

const noSuchService = () => new QueryError(400, 'NoSuchResourceException', 'The request failed because the specified service does not exist.');
const noSuchQuota = () => new QueryError(400, 'NoSuchResourceException', 'The request failed because the specified quota does not exist.');
const invalidToken = () => new QueryError(400, 'InvalidPaginationTokenException', 'Invalid pagination token.');

function quotaArn(call: ServiceCall, code: string): string {
  return `arn:aws:servicequotas:${call.region}:${call.scenario.identity.account}:bedrock/${code}`;
}

/** The wire shape of a quota (ServiceQuota), with the applied or the default value. */
function wireQuota(call: ServiceCall, quota: EmulatedQuota, value: 'applied' | 'default') {
  return {
    ServiceCode: 'bedrock',
    ServiceName: SERVICE_NAME,
    QuotaArn: quotaArn(call, quota.quotaCode),
    QuotaCode: quota.quotaCode,
    QuotaName: quota.quotaName,
    Value: quota[value],
    Unit: quota.unit,
    Adjustable: quota.adjustable,
    GlobalQuota: quota.globalQuota,
    ...(Object.keys(quota.usageMetric).length > 0 ? { UsageMetric: quota.usageMetric } : {}),
    ...(Object.keys(quota.period).length > 0 ? { Period: quota.period } : {}),
    QuotaAppliedAtLevel: 'ACCOUNT',
  };
}

function bedrockQuotas(call: ServiceCall, serviceCode: string): EmulatedQuota[] {
  if (serviceCode !== 'bedrock') throw noSuchService();
  const made = call.context.state.quotasByRegion;
  let quotas = made.get(call.region);
  if (!quotas) {
    quotas = quotasOfRegion(call.context.quotas, call.context.data, call.scenario.quotas, call.region);
    made.set(call.region, quotas);
  }
  return quotas;
}

function findQuota(call: ServiceCall, serviceCode: string, quotaCode: string): EmulatedQuota {
  const quota = bedrockQuotas(call, serviceCode).find((candidate) => candidate.quotaCode === quotaCode);
  if (!quota) throw noSuchQuota();
  return quota;
}

function pageSize(call: ServiceCall, maxResults: number | undefined): number {
  return Math.min(maxResults ?? MAX_RESULTS, call.scenario.quotas.pageSize ?? MAX_RESULTS);
}

function listQuotas(call: ServiceCall, value: 'applied' | 'default') {
  const input = parseInput(ListInput, call.parameters);
  let quotas = bedrockQuotas(call, input.ServiceCode);
  if (value === 'applied' && input.QuotaCode !== undefined) quotas = quotas.filter((quota) => quota.quotaCode === input.QuotaCode);
  const listing = `${call.operation}:${call.region}:${input.QuotaCode ?? ''}`;
  const { items, nextToken } = page(quotas, { listing, ...(input.NextToken ? { token: input.NextToken } : {}), size: pageSize(call, input.MaxResults), invalidToken });
  return { Quotas: items.map((quota) => wireQuota(call, quota, value)), ...(nextToken ? { NextToken: nextToken } : {}) };
}

function requestedQuota(call: ServiceCall, quota: EmulatedQuota, request: { id: string; desiredValue: number; created: number }) {
  const seconds = request.created / 1000;
  return {
    Id: request.id,
    ServiceCode: 'bedrock',
    ServiceName: SERVICE_NAME,
    QuotaCode: quota.quotaCode,
    QuotaName: quota.quotaName,
    DesiredValue: request.desiredValue,
    Status: 'PENDING',
    Created: seconds,
    LastUpdated: seconds,
    Requester: JSON.stringify({ accountId: call.scenario.identity.account, callerArn: call.scenario.identity.arn }),
    QuotaArn: quotaArn(call, quota.quotaCode),
    GlobalQuota: quota.globalQuota,
    Unit: quota.unit,
    QuotaRequestedAtLevel: 'ACCOUNT',
  };
}

function requestIncrease(call: ServiceCall) {
  const input = parseInput(IncreaseInput, call.parameters);
  const quota = findQuota(call, input.ServiceCode, input.QuotaCode);
  if (!quota.adjustable) throw new QueryError(400, 'IllegalArgumentException', `The quota ${quota.quotaCode} is not adjustable.`);
  if (input.DesiredValue <= quota.applied) {
    throw new QueryError(400, 'IllegalArgumentException', `The requested value ${input.DesiredValue} must be greater than the current value ${quota.applied}.`);
  }
  const { state } = call.context;
  if (state.quotaIncreaseRequests.some((request) => request.region === call.region && request.quotaCode === quota.quotaCode)) {
    throw new QueryError(400, 'ResourceAlreadyExistsException', 'A request for this quota is already pending.');
  }
  const request = { id: randomBytes(16).toString('hex'), region: call.region, quotaCode: quota.quotaCode, desiredValue: input.DesiredValue, created: call.context.now() };
  state.quotaIncreaseRequests.push(request);
  return { RequestedQuota: requestedQuota(call, quota, request) };
}

function requestHistory(call: ServiceCall) {
  const input = parseInput(HistoryInput, call.parameters);
  const quota = findQuota(call, input.ServiceCode, input.QuotaCode);
  const requests = call.context.state.quotaIncreaseRequests.filter(
    (request) => request.region === call.region && request.quotaCode === quota.quotaCode && (input.Status === undefined || input.Status === 'PENDING'),
  );
  const listing = `${call.operation}:${call.region}:${quota.quotaCode}:${input.Status ?? ''}`;
  const { items, nextToken } = page(requests, { listing, ...(input.NextToken ? { token: input.NextToken } : {}), size: pageSize(call, input.MaxResults), invalidToken });
  return { RequestedQuotas: items.map((request) => requestedQuota(call, quota, request)), ...(nextToken ? { NextToken: nextToken } : {}) };
}

function notAuthorized(call: ServiceCall): QueryError {
  const action = `servicequotas:${call.operation}`;
  return new QueryError(400, 'AccessDeniedException', `User: ${call.scenario.identity.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`);
}

export const serviceQuotasService: EmulatedService = {
  signingName: 'servicequotas',
  protocol: 'awsJson',
  targetPrefix: 'ServiceQuotasV20190624',
  jsonVersion: '1.1',
  errorMessageMember: 'Message',
  async answer(call) {
    if (!(await regionalPreamble(call))) return;
    const { quotas } = call.scenario;
    if (quotas.denied.some((region) => matchesRegion(region, call.region))) throw notAuthorized(call);
    if (quotas.failing.some((region) => matchesRegion(region, call.region))) {
      throw new QueryError(500, 'ServiceException', 'Something went wrong. Try again.', 'Receiver');
    }
    for (const [index, rule] of quotas.throttled.entries()) {
      if (matchesRegion(rule.region, call.region) && call.context.state.bump(`servicequotas:throttled:${index}:${call.region}`) <= rule.firstN) {
        throw new QueryError(400, 'TooManyRequestsException', 'Rate exceeded');
      }
    }
    const answers: Record<string, () => unknown> = {
      ListServiceQuotas: () => listQuotas(call, 'applied'),
      ListAWSDefaultServiceQuotas: () => listQuotas(call, 'default'),
      GetServiceQuota: () => {
        const input = parseInput(GetInput, call.parameters);
        return { Quota: wireQuota(call, findQuota(call, input.ServiceCode, input.QuotaCode), 'applied') };
      },
      GetAWSDefaultServiceQuota: () => {
        const input = parseInput(GetInput, call.parameters);
        return { Quota: wireQuota(call, findQuota(call, input.ServiceCode, input.QuotaCode), 'default') };
      },
      RequestServiceQuotaIncrease: () => requestIncrease(call),
      ListRequestedServiceQuotaChangeHistoryByQuota: () => requestHistory(call),
    };
    const answer = Object.hasOwn(answers, call.operation) ? answers[call.operation] : undefined;
    if (!answer) throw new QueryError(400, 'UnknownOperationException', `Unknown operation ${call.operation}`);
    sendJsonResult(call, serviceQuotasService, answer());
  },
};
