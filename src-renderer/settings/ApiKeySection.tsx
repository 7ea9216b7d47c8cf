import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ApiKeyState, ApiKeyStatus } from '../../src-shared/contract/identity';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { visibleText } from '../../src-shared/text/visible-text';
import './api-key-section.css';

export const API_KEY_STATUS_KEY = ['apiKeyStatus'] as const;

/** "short-term key for eu-west-1, expires 2026-12-07 09:12 (from the desktop app's keychain)": never the key itself. */
export function describeApiKey(key: ApiKeyStatus): string {
  const where = key.source === 'environment' ? 'from AWS_BEARER_TOKEN_BEDROCK' : "kept by the OS keychain (the desktop app's safeStorage)";
  if (key.problem || !key.kind) return `A key that cannot be used (${key.problem ?? 'its kind is not known'}), ${where}`;
  const kind = key.kind === 'short-term' ? `Short-term key for ${key.region ?? 'an unknown region'}` : 'Long-term key (every region)';
  const expiry = key.expiresAt ? `, ${key.expired ? 'expired' : 'expires'} ${new Date(key.expiresAt).toLocaleString()}` : '';
  return `${kind}${expiry}, ${where}`;
}

/**
 * Settings' "Use a Bedrock API key": paste it once (a password field, cleared as soon as it is sent); the desktop app
 * keeps it with the OS keychain through `setApiKey`, never in settings.json, and one click removes it. The browser
 * host stores no key: it says it accepts the environment variable only. What is shown is the key's kind, region and
 * expiry as `apiKeyStatus` describes them, never the key. A saved or removed key changes every Bedrock call, so
 * everything the app asked is asked again.
 */
export function ApiKeySection() {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  const fieldId = useId();
  const [draft, setDraft] = useState('');
  const state = useQuery({ queryKey: API_KEY_STATUS_KEY, queryFn: () => api.apiKeyStatus(), retry: false });
  const applied = (next: ApiKeyState) => {
    queryClient.setQueryData(API_KEY_STATUS_KEY, next);
    void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== API_KEY_STATUS_KEY[0] });
  };
  const save = useMutation({
    mutationFn: (key: string) => api.setApiKey({ key }),
    // The field is emptied whether the key was taken or refused: a pasted key does not stay in the page.
    onSettled: () => setDraft(''),
    onSuccess: applied,
  });
  const remove = useMutation({ mutationFn: () => api.clearApiKey(), onSuccess: applied });

  const submit = () => {
    if (draft.trim() !== '') save.mutate(draft);
  };
  const data = state.data;
  const key = data?.key ?? null;
  return (
    <fieldset className="api-key-section" data-testid="api-key-section">
      <legend>Use a Bedrock API key</legend>
      <p className="muted">An API key authorises Bedrock calls only; identity, the IAM simulator and the other AWS APIs still use the credentials above.</p>
      {state.isError ? <ErrorNotice error={state.error} /> : null}
      {data ? (
        <>
          <p data-testid="api-key-status">{key ? visibleText(describeApiKey(key)) : 'No API key: Bedrock calls are signed with the AWS credentials.'}</p>
          {data.note ? (
            <p className="muted" data-testid="api-key-note">
              {visibleText(data.note)}
            </p>
          ) : null}
          {data.canStore ? (
            <div className="api-key-actions">
              <label htmlFor={fieldId}>API key</label>
              <input
                id={fieldId}
                type="password"
                autoComplete="off"
                spellCheck={false}
                placeholder="paste the key"
                value={draft}
                onChange={(event) => setDraft(event.target.value)}
                onKeyDown={(event) => {
                  // Enter here saves the key, not the settings form around it.
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    submit();
                  }
                }}
              />
              <button type="button" onClick={submit} disabled={save.isPending || draft.trim() === ''}>
                {save.isPending ? 'Saving…' : 'Use this key'}
              </button>
              {key?.source === 'vault' ? (
                <button type="button" onClick={() => remove.mutate()} disabled={remove.isPending} data-testid="remove-api-key">
                  Remove the key
                </button>
              ) : null}
            </div>
          ) : null}
        </>
      ) : state.isPending ? (
        <p className="muted">Reading the API key in force…</p>
      ) : null}
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
    </fieldset>
  );
}
