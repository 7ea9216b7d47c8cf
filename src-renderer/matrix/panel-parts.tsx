import { useQuery } from '@tanstack/react-query';
import { Fragment, useState, type ReactNode } from 'react';
import type { ModelAccessStatus } from '../../src-shared/catalog/document';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { visibleText } from '../../src-shared/text/visible-text';

/** Small pieces shared by the cell panel and the region view. */

/**
 * An id that wraps only after a dot, never inside a token: `global.` `anthropic.` `claude-…-v1:0`. Breaking at a
 * hyphen would make a copied-by-hand id look like two.
 */
export function IdText({ id, testId }: { id: string; testId?: string }) {
  const parts = visibleText(id).split(/(?<=\.)/);
  return (
    <code className="id-text" data-testid={testId}>
      {parts.map((part, index) => (
        <Fragment key={index}>
          <span className="id-token">{part}</span>
          {index < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </code>
  );
}

const REGION_NAME = /\b[a-z]{2}(?:-[a-z]+)+-\d\b/g;

/** Plain text in which region names (`ap-southeast-2`) never break at their hyphens. */
export function RegionText({ text: raw }: { text: string }) {
  const text = visibleText(raw);
  const pieces: (string | { region: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(REGION_NAME)) {
    pieces.push(text.slice(last, match.index), { region: match[0] });
    last = match.index + match[0].length;
  }
  pieces.push(text.slice(last));
  return (
    <>
      {pieces.map((piece, index) =>
        typeof piece === 'string' ? (
          piece
        ) : (
          <span key={index} className="region-name">
            {piece.region}
          </span>
        ),
      )}
    </>
  );
}

export function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        })
      }
      aria-label={`Copy ${text}`}
    >
      {copied ? '✓ copied' : 'copy'}
    </button>
  );
}

/** An id with its copy button beside it, on one line, whatever the id's length. */
export function CopyableId({ id, note, testId }: { id: string; note?: ReactNode; testId?: string }) {
  return (
    <div className="copyable-id">
      <div>
        <IdText id={id} testId={testId} />
        {note ? <div className="muted id-note">{note}</div> : null}
      </div>
      <CopyButton text={id} />
    </div>
  );
}

const ACCESS_TEXT: Record<ModelAccessStatus, string> = {
  authorized: '✓ Authorized for this account',
  not_authorized: '✗ Not authorized (IAM/SCP or a Marketplace subscription is missing)',
  agreement_pending: '… Agreement pending: the subscription can take ~15 minutes after the first call',
  not_available: '✗ Not available in this region',
  unknown: '? Could not be determined',
};

export function Access({ modelId, region }: { modelId: string; region: string }) {
  const { api } = useAtlas();
  const access = useQuery({
    queryKey: ['access', modelId, region],
    queryFn: () => api.getModelAccess({ modelId, regions: [region] }),
  });
  if (access.isLoading) return <span className="muted">Checking access…</span>;
  if (access.isError) return <ErrorNotice error={access.error} />;
  const entry = access.data?.[region];
  if (!entry) return <span className="muted">No answer for this region.</span>;
  return (
    <span className={`access access-${entry.status}`} data-testid="access-status" title={`checked ${entry.checkedAt}`}>
      {ACCESS_TEXT[entry.status]}
      {entry.message ? <span className="muted"> — {visibleText(entry.message)}</span> : null}
    </span>
  );
}
