import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SsoSignInChunk, SsoStatus, StreamCall, SsoSignInResult } from '../../src-shared/contract';
import { useAtlas } from '../api/atlas-context';

/**
 * The state of an IAM Identity Center sign-in started from the page: idle, running (with the code and the page to
 * approve it on once AWS gave them), signed in, cancelled or failed (with the core's message). A success refetches
 * everything: the core has rebuilt its AWS clients, so the catalog and the identity may answer differently now.
 */
export type SsoSignInState =
  | { state: 'idle' }
  | { state: 'running'; chunk: SsoSignInChunk | null }
  | { state: 'signed-in'; result: SsoSignInResult }
  | { state: 'cancelled' }
  | { state: 'failed'; message: string };

export const SSO_STATUS_KEY = ['sso', 'status'] as const;

export function useSsoStatus(): SsoStatus | undefined {
  const { api } = useAtlas();
  // A host that cannot answer (an older core, a test's client) simply offers no sign-in.
  return useQuery({ queryKey: SSO_STATUS_KEY, queryFn: () => api.ssoStatus(), retry: false }).data;
}

/** Opens the approval page as soon as AWS gives it (the desktop shell sends it to the system browser). */
function openApprovalPage(url: string): void {
  try {
    window.open(url, '_blank', 'noopener,noreferrer');
  } catch {
    // A blocked pop-up: the link is shown to click.
  }
}

export function useSsoSignIn(): { sign: SsoSignInState; start(): void; cancel(): void } {
  const { streams } = useAtlas();
  const queryClient = useQueryClient();
  const [sign, setSign] = useState<SsoSignInState>({ state: 'idle' });
  const call = useRef<StreamCall<SsoSignInResult> | null>(null);
  useEffect(() => () => call.current?.cancel(), []);

  const start = useCallback(() => {
    if (call.current) return;
    setSign({ state: 'running', chunk: null });
    let opened = false;
    const running = streams.ssoSignIn({}, (chunk) => {
      if (chunk.verificationUri && !opened) {
        opened = true;
        openApprovalPage(chunk.verificationUri);
      }
      setSign({ state: 'running', chunk });
    });
    call.current = running;
    running.result.then(
      (result) => {
        setSign(result.signedIn ? { state: 'signed-in', result } : { state: 'cancelled' });
        if (result.signedIn) void queryClient.invalidateQueries();
      },
      (error: Error) => setSign(error.name === 'StreamCancelled' ? { state: 'cancelled' } : { state: 'failed', message: error.message }),
    ).finally(() => (call.current = null));
  }, [streams, queryClient]);

  const cancel = useCallback(() => call.current?.cancel(), []);
  return { sign, start, cancel };
}
