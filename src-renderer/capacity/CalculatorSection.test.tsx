// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quotaIncreaseUrl, type QuotaValue } from '../../src-shared/catalog/quotas';
import { quotaIncreaseWorksheet } from '../../src-shared/capacity/worksheet';
import type { CapacityAnswer, CapacityInput, CapacityRoute } from '../../src-shared/contract';
import { fakeClient } from '../testing/fake-client';
import { DEFAULT_WORKLOAD, type WorkloadForm } from './calculator-form';
import { CalculatorSection } from './CalculatorSection';
import { worksheetLink } from './WorksheetSection';
import { SUPPORT_CASE_URL } from '../../src-shared/capacity/worksheet';

afterEach(cleanup);

const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const quota = (code: string, value: number, adjustable = true): QuotaValue => ({ applied: value, default: value, quotaCode: code, adjustable, quotaName: `Cross-region model inference ${code} for Anthropic Claude Haiku 4.5` });

function route(invokeId: string, routeKind: CapacityRoute['routeKind'], figures: Partial<CapacityRoute>): CapacityRoute {
  return {
    invokeId,
    routeKind,
    reservedTokensPerRequest: 3024,
    settledTokensPerRequest: 4000,
    burndownRate: 5,
    maxRequestsPerMinute: null,
    maxInFlightByReservation: null,
    bindingLimit: null,
    headroomPercent: null,
    headroomLimit: null,
    tokensPerMinuteAtTarget: 240_000,
    quotas: {},
    currentPeak: null,
    usage: { status: 'no-invocations', peak: { requestsPerMinute: 0, tokensPerMinute: 0 }, median: { requestsPerMinute: 0, tokensPerMinute: 0 }, quotaTokensLast24h: 0, averageTokensPerRequest: null },
    costPer1000Requests: null,
    ...figures,
  };
}

const ANSWER: CapacityAnswer = {
  modelId: HAIKU_45,
  from: 'us-east-1',
  targetRequestsPerMinute: 60,
  workload: { inputTokens: 2000, outputTokens: 400, outputFrom: 'expected', maxTokens: 1024, cacheReadTokens: 0, cacheWriteTokens: 0 },
  burndown: { rate: 5, source: 'https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html', asOf: '2026-10-01', matchedEntry: 'anthropic.claude-haiku-4-5' },
  modelLimits: { maxOutputTokens: 64_000, entry: 'anthropic.claude-haiku-4-5', source: 'LiteLLM', asOf: '2026-10-01' },
  routes: [
    route(`global.${HAIKU_45}`, 'global-profile', {
      maxRequestsPerMinute: 1000,
      maxInFlightByReservation: 1322,
      bindingLimit: 'tokens-per-minute',
      headroomPercent: 94,
      headroomLimit: 'tokens-per-minute',
      quotas: { tokensPerMinute: quota('L-GLOBALTPM', 4_000_000) },
      costPer1000Requests: 4.4,
    }),
    route(`us.${HAIKU_45}`, 'geo-profile', {
      maxRequestsPerMinute: 50,
      maxInFlightByReservation: 66,
      bindingLimit: 'tokens-per-minute',
      headroomPercent: -20,
      headroomLimit: 'tokens-per-minute',
      quotas: { tokensPerMinute: quota('L-USTPM', 200_000) },
      costPer1000Requests: null,
    }),
    route(HAIKU_45, 'on-demand', {}),
  ],
  quotasFetchedAt: '2026-11-23T00:00:00Z',
  quotasError: null,
  priceTable: { asOf: '2026-11-01T00:00:00Z', fetchedAt: '2026-11-02T00:00:00Z', source: 'bundled', origin: 'recorded', products: { read: 3, priced: 2, unused: 1, outOfScope: 0 } },
};

function Harness({ initial }: { initial: WorkloadForm }) {
  const [form, setForm] = useState(initial);
  return <CalculatorSection target={HAIKU_45} from="us-east-1" form={form} onForm={setForm} />;
}

function renderCalculator(initial: WorkloadForm = DEFAULT_WORKLOAD) {
  const asked: CapacityInput[] = [];
  const { wrapper } = fakeClient({
    capacity: async (input) => {
      asked.push(input);
      return ANSWER;
    },
  });
  render(<Harness initial={initial} />, { wrapper });
  return { asked };
}

const field = (name: RegExp) => screen.getByRole('textbox', { name });

describe('CalculatorSection', () => {
  it('refuses invalid input beside its field and never sends it; the corrected workload is the first one sent', async () => {
    const { asked } = renderCalculator({ ...DEFAULT_WORKLOAD, fields: { ...DEFAULT_WORKLOAD.fields, rpm: '-3', maxTokens: 'many' } });
    expect(screen.getByTestId('error-rpm').textContent).toBe('The rate (requests per minute) must be a whole number from 1 to 10,000,000');
    expect(screen.getByTestId('error-maxTokens').textContent).toBe('max_tokens must be a whole number from 1 to 10,000,000');
    expect(field(/^Requests per minute/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('not-sent').textContent).toContain('nothing is computed until the workload is valid');

    fireEvent.change(field(/^Requests per minute/), { target: { value: '0' } });
    expect(screen.getByTestId('error-rpm').textContent).toContain('from 1 to 10,000,000');
    fireEvent.change(field(/^Requests per minute/), { target: { value: '60' } });
    fireEvent.change(field(/^max_tokens/), { target: { value: '1024' } });
    expect(screen.queryByTestId('error-rpm')).toBeNull();
    await screen.findByTestId('capacity-table');
    expect(asked).toEqual([{ target: HAIKU_45, from: 'us-east-1', rpm: 60, inputTokens: 2000, maxTokens: 1024, outputTokens: 400, cacheReadTokens: 0, cacheWriteTokens: 0 }]);
  });

  it('lists every route best first, marks the global profile as the way out, and says "no quota found" and "unknown" where they apply', async () => {
    renderCalculator();
    const table = await screen.findByTestId('capacity-table');
    const rows = within(table).getAllByTestId('capacity-row');
    expect(rows.map((row) => row.getAttribute('data-kind'))).toEqual(['global-profile', 'geo-profile', 'on-demand']);
    expect(rows[0]!.className).toContain('cap-way-out');
    expect(within(rows[0]!).getByTestId('way-out').textContent).toBe('★ the way out: 20× the next route');
    expect(rows[0]!.textContent).toContain('3,024 / 4,000');
    expect(rows[0]!.textContent).toContain('$4.40');
    expect(rows[1]!.textContent).toContain('−20 % (over)');
    expect(rows[1]!.textContent).toContain('unknown');
    expect(rows[1]!.textContent).not.toContain('$0');
    expect(rows[2]!.textContent).toContain('no quota found');
    expect(screen.getByTestId('burndown-source').textContent).toContain('Output burndown ×5: entry anthropic.claude-haiku-4-5 of the table of 2026-10-01');
    expect(screen.getByTestId('price-date').textContent).toContain('Prices as of 2026-11-01');
  });

  it('the worksheet shows the shared worksheet’s figures, copies its text with the use case, and links the request page', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderCalculator();
    const sheet = await screen.findByTestId('cap-worksheet');
    fireEvent.change(within(sheet).getByRole('textbox', { name: 'Use case' }), { target: { value: 'A support assistant for 4,000 agents' } });
    fireEvent.click(within(sheet).getByRole('button', { name: 'Copy as text' }));
    const expected = quotaIncreaseWorksheet(ANSWER, ANSWER.routes[0]!, 'A support assistant for 4,000 agents');
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(expected.text));
    expect(await within(sheet).findByRole('button', { name: '✓ Copied' })).toBeTruthy();
    expect(within(sheet).getByTestId('worksheet-open').getAttribute('href')).toBe(quotaIncreaseUrl('us-east-1', 'L-GLOBALTPM'));
    expect(within(sheet).getByTestId('worksheet-figures').textContent).toContain('Steady requests per minute60the planned workload');

    // Another route: its own quota to raise.
    fireEvent.change(within(sheet).getByRole('combobox', { name: 'Route' }), { target: { value: `us.${HAIKU_45}` } });
    expect(within(sheet).getByTestId('worksheet-quota').textContent).toContain('L-USTPM');
    expect(within(sheet).getByTestId('worksheet-open').getAttribute('href')).toBe(quotaIncreaseUrl('us-east-1', 'L-USTPM'));
  });
});

describe('worksheetLink: where the worksheet leads', () => {
  it('the request page of an adjustable quota to raise, a support case for one Service Quotas will not raise, the quota’s page when it is enough', () => {
    const [global, geo] = ANSWER.routes;
    // 60 requests × 4,000 settled tokens = 240,000 tokens per minute: within the global 4M, above the geo 200k.
    expect(worksheetLink(quotaIncreaseWorksheet(ANSWER, global!))).toEqual({ url: quotaIncreaseUrl('us-east-1', 'L-GLOBALTPM'), label: 'Open the quota’s page ↗' });
    expect(worksheetLink(quotaIncreaseWorksheet(ANSWER, geo!))).toEqual({ url: quotaIncreaseUrl('us-east-1', 'L-USTPM'), label: 'Open request page ↗' });
    const fixed = { ...geo!, quotas: { tokensPerMinute: quota('L-USTPM', 200_000, false) } };
    expect(worksheetLink(quotaIncreaseWorksheet(ANSWER, fixed))).toEqual({ url: SUPPORT_CASE_URL, label: 'Open a support case ↗' });
    expect(worksheetLink(quotaIncreaseWorksheet(ANSWER, ANSWER.routes[2]!))).toBeNull();
  });
});
