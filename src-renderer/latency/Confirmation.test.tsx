// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LatencyEstimate } from '../../src-shared/contract/latency';
import { Confirmation } from './Confirmation';

afterEach(cleanup);

const estimate = (patch: Partial<LatencyEstimate>): LatencyEstimate => ({
  requests: 200,
  warmupRequests: 2,
  inputTokens: 7000,
  outputTokens: 25_600,
  needsConfirmation: true,
  confirmationReasons: ['It sends 202 requests (more than 100).'],
  estimatedCostUsd: 0.38,
  routeCosts: {},
  priceTable: { asOf: '2026-11-01T00:00:00Z', fetchedAt: null, source: 'bundled', origin: null, products: { read: 1, priced: 1, unused: 0, outOfScope: 0 } },
  simulated: false,
  routes: {},
  unavailable: {},
  prompt: { size: 'small', inputTokens: 35, countedBy: 'estimate' },
  ...patch,
});

describe('Confirmation (issue 17 §4)', () => {
  it('names the dollars at list prices with the table’s date, says why it asks, and puts the dollars on the button', () => {
    const onConfirm = vi.fn();
    render(<Confirmation estimate={estimate({})} onConfirm={onConfirm} onBack={() => {}} />);
    expect(screen.getByRole('alertdialog').textContent).toContain('202 requests to AWS (about 7,000 input and up to 25,600 output tokens), up to about $0.38 at list prices (2026-11-01). It costs money.');
    expect(screen.getByTestId('confirmation-reasons').textContent).toBe('It sends 202 requests (more than 100).');
    fireEvent.click(screen.getByRole('button', { name: 'Send 202 requests (~$0.38)' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('an unknown price is said, never counted as $0', () => {
    render(<Confirmation estimate={estimate({ estimatedCostUsd: null, confirmationReasons: ['Its cost cannot be estimated: eu-west-1 has no price.'] })} onConfirm={() => {}} onBack={() => {}} />);
    expect(screen.getByRole('alertdialog').textContent).toContain('at a price that is not known');
    expect(screen.getByRole('alertdialog').textContent).not.toContain('$0');
    expect(screen.getByRole('button', { name: 'Send 202 requests' })).toBeTruthy();
  });
});
