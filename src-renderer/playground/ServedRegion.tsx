import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConverseResult } from '../../src-shared/contract';
import { useAtlas, useAtlasEvent } from '../api/atlas-context';

/**
 * Where an answer through a cross-Region profile was really served (issue 18 §2), once CloudTrail says: "served in
 * eu-west-3". Asking starts the lookup; each pass of it refreshes the line. An on-demand answer was served where it
 * was called, which the route line already says; an answer without Bedrock's request id cannot be looked up.
 */
export function ServedRegion({ result }: { result: ConverseResult }) {
  const { api } = useAtlas();
  const client = useQueryClient();
  const { requestId, route } = result;
  // `sentAt` places the lookup around the send, even for an answer reopened from a saved conversation days later.
  const routed = route.kind !== 'on-demand' && requestId !== undefined;
  const key = ['answerServedRegion', requestId];
  const answer = useQuery({
    queryKey: key,
    queryFn: () => api.answerServedRegion({ requestId: requestId!, region: route.callRegion, invokeId: route.invokeId, kind: route.kind, ...(result.sentAt ? { at: result.sentAt } : {}) }),
    enabled: routed,
    staleTime: Infinity,
    retry: false,
    refetchInterval: (query) => (query.state.data?.status === 'pending' && query.state.data.job.state === 'running' ? 60_000 : false),
  });
  useAtlasEvent('attribution.progress', (job) => {
    if (routed && job.jobId === `answer:${requestId}`) void client.invalidateQueries({ queryKey: key });
  });
  if (!routed) return null;
  const data = answer.data;
  if (answer.error) return <span className="pg-served-region pg-note" data-testid="served-region" title={(answer.error as Error).message}> · where it ran: unknown (attribution unavailable)</span>;
  if (!data) return null;
  const problem = data.job.problems[0];
  switch (data.status) {
    case 'attributed':
      return (
        <span className="pg-served-region" data-testid="served-region">
          {' '}
          · served in <strong>{data.servedRegion}</strong>
        </span>
      );
    case 'pending':
      return (
        <span className="pg-served-region pg-note" data-testid="served-region" title="CloudTrail shows a call minutes after it; this line changes once it does">
          {' '}
          · where it ran: {data.job.state === 'running' ? 'looking it up in CloudTrail…' : 'lookup stopped'}
        </span>
      );
    case 'unattributed':
      return (
        <span className="pg-served-region pg-note" data-testid="served-region">
          {' '}
          · where it ran: not found in CloudTrail
        </span>
      );
    case 'unreadable':
      return (
        <span className="pg-served-region pg-differs" data-testid="served-region" title={problem?.message}>
          {' '}
          · where it ran: CloudTrail not readable{problem ? ` in ${problem.region}: ${problem.message}` : ''}
        </span>
      );
  }
}
