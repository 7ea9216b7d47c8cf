import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Conversation } from '../../src-shared/contract';
import { conversationAsJson, conversationAsMarkdown } from '../../src-shared/playground/export-conversation';
import { useAtlas } from '../api/atlas-context';
import './panels.css';

export const CONVERSATIONS_KEY = ['conversations'] as const;

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const fileName = (conversation: Conversation, extension: string) =>
  `${conversation.title.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'conversation'}.${extension}`;

/** Saved conversations: searchable, reopened into the panes, exported, deleted. */
export function HistoryPanel({ onOpen, onClose, currentId }: { onOpen(conversation: Conversation): void; onClose(): void; currentId: string | null }) {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const list = useQuery({ queryKey: [...CONVERSATIONS_KEY, search], queryFn: () => api.listConversations({ search: search || undefined }) });
  const act = async (work: () => Promise<void>) => {
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <aside className="pg-history" aria-label="Saved conversations" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <header>
        <h2>Saved conversations</h2>
        <button type="button" onClick={onClose} aria-label="Close saved conversations">
          ×
        </button>
      </header>
      <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search prompts, answers, models, regions" aria-label="Search saved conversations" autoFocus />
      {list.data?.historyOff ? <p className="pg-error">{list.data.historyOff}</p> : null}
      {problem ? <p className="pg-error" role="alert">{problem}</p> : null}
      {list.error ? <p className="pg-error" role="alert">{(list.error as Error).message}</p> : null}
      <ul>
        {(list.data?.conversations ?? []).map((entry) => (
          <li key={entry.id} className={entry.id === currentId ? 'current' : undefined}>
            <button type="button" className="pg-history-open" onClick={() => void act(async () => onOpen(await api.getConversation({ id: entry.id })))}>
              <span className="pg-history-title">{entry.title}</span>
              <span className="pg-history-meta">
                {new Date(entry.updatedAt).toLocaleString()} · {entry.turns} turns · {entry.routes.join(', ')}
              </span>
            </button>
            <span className="pg-history-actions">
              <button type="button" onClick={() => void act(async () => { const conversation = await api.getConversation({ id: entry.id }); download(fileName(conversation, 'json'), 'application/json', conversationAsJson(conversation)); })} aria-label={`Export ${entry.title} as JSON`}>
                JSON
              </button>
              <button type="button" onClick={() => void act(async () => { const conversation = await api.getConversation({ id: entry.id }); download(fileName(conversation, 'md'), 'text/markdown', conversationAsMarkdown(conversation)); })} aria-label={`Export ${entry.title} as Markdown`}>
                Markdown
              </button>
              <button type="button" onClick={() => void act(async () => { await api.deleteConversation({ id: entry.id }); await queryClient.invalidateQueries({ queryKey: CONVERSATIONS_KEY }); })} aria-label={`Delete ${entry.title}`}>
                Delete
              </button>
            </span>
          </li>
        ))}
      </ul>
      {list.data && list.data.conversations.length === 0 ? <p className="pg-hint">{search ? 'Nothing matches.' : 'Nothing saved yet: every compare you send is saved here.'}</p> : null}
    </aside>
  );
}
