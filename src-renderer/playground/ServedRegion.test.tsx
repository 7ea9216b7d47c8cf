// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerRegion, ConverseResult } from '../../src-shared/contract';
import { attributionJob } from '../testing/attribution-fixtures';
import { fakeClient } from '../testing/fake-client';
import { HAIKU, HAIKU_45_US } from '../testing/small-catalog';
import { ResponseFooter } from './ResponseFooter';

afterEach(cleanup);

const result = (patch: Partial<ConverseResult> = {}): ConverseResult => ({
  text: 'Sydney is closest to ap-southeast-2.',
  stopReason: 'end_turn',
  usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 },
  metrics: { ttftMs: 40, e2eMs: 90, outputTokensPerSecond: 40, serverLatencyMs: 80 },
  route: { invokeId: HAIKU_45_US, callRegion: 'us-east-1', kind: 'geo-profile' },
  served: {},
  api: 'ConverseStream',
  requestId: 'req-42',
  ...patch,
});

const JOB = attributionJob({ jobId: 'answer:req-42', runId: null }, { requests: 1, pending: 1 });
const answer = (patch: Partial<AnswerRegion>): AnswerRegion => ({ requestId: 'req-42', status: 'pending', servedRegion: null, job: JOB, ...patch });

function renderFooter(answers: AnswerRegion[], converse: ConverseResult = result()) {
  let index = 0;
  const fake = fakeClient({
    getPrices: () => new Promise(() => {}),
    answerServedRegion: () => Promise.resolve(answers[Math.min(index++, answers.length - 1)]!),
  });
  render(<ResponseFooter result={converse} asked={{}} />, { wrapper: fake.wrapper });
  return fake;
}

describe('a playground answer’s served region (issue 18 §2)', () => {
  it('looks it up for an answer through a profile, then says "served in eu-west-3" once its job’s pass finds it', async () => {
    const { calls, emit } = renderFooter([answer({}), answer({ status: 'attributed', servedRegion: 'us-east-2' })]);
    expect((await screen.findByTestId('served-region')).textContent).toBe(' · where it ran: looking it up in CloudTrail…');
    expect(calls.find((call) => call.method === 'answerServedRegion')?.input).toEqual({ requestId: 'req-42', region: 'us-east-1', invokeId: HAIKU_45_US, kind: 'geo-profile' });
    act(() => emit('attribution.progress', { ...JOB, state: 'done' }));
    await waitFor(() => expect(screen.getByTestId('served-region').textContent).toBe(' · served in us-east-2'));
  });

  it('an on-demand answer, or one without a request id, asks nothing', async () => {
    const { calls } = renderFooter([answer({})], result({ route: { invokeId: HAIKU, callRegion: 'us-east-1', kind: 'on-demand' } }));
    cleanup();
    const second = renderFooter([answer({})], result({ requestId: undefined }));
    await Promise.resolve();
    expect([...calls, ...second.calls].map((call) => call.method)).not.toContain('answerServedRegion');
    expect(screen.queryByTestId('served-region')).toBeNull();
  });

  it('never found, or CloudTrail not readable with the fix, each said in words', async () => {
    renderFooter([answer({ status: 'unattributed', job: { ...JOB, state: 'done' } })]);
    expect((await screen.findByTestId('served-region')).textContent).toBe(' · where it ran: not found in CloudTrail');
    cleanup();
    const problem = { region: 'us-east-1', reason: 'denied' as const, code: 'AccessDeniedException', message: 'add "cloudtrail:LookupEvents" on "*" to the caller’s IAM policy.' };
    renderFooter([answer({ status: 'unreadable', job: { ...JOB, state: 'done', problems: [problem] } })]);
    expect((await screen.findByTestId('served-region')).textContent).toBe(` · where it ran: CloudTrail not readable in us-east-1: ${problem.message}`);
  });
});
