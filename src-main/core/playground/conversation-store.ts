import { randomUUID } from 'node:crypto';
import type { Conversation, ConversationInput, ConversationList, ConversationSummary } from '../../../src-shared/contract';
import type { HistoryDatabase } from '../storage/history-database';

/**
 * Playground conversations in the history database (one table of its own beside the latency lab's). A
 * conversation is kept whole as JSON, with a lower-cased search text beside it, because it is only ever read
 * whole; listing and searching read the small columns only.
 */

const SCHEMA = [
  `create table if not exists playground_conversations (
     id varchar primary key,
     title varchar not null,
     created_at varchar not null,
     updated_at varchar not null,
     routes varchar not null,
     turns integer not null,
     search_text varchar not null,
     document varchar not null
   )`,
  'create index if not exists playground_conversations_updated on playground_conversations (updated_at)',
];

export class ConversationNotFound extends Error {
  override readonly name = 'ConversationNotFound';
  readonly code = 'NOT_FOUND';
}

function searchText(conversation: ConversationInput): string {
  const parts = [conversation.title, conversation.system ?? ''];
  for (const pane of conversation.panes) {
    parts.push(pane.target, pane.region, pane.turns.find((turn) => turn.result)?.result?.route?.invokeId ?? '');
    for (const turn of pane.turns) for (const block of turn.content) if ('text' in block) parts.push(block.text);
  }
  return parts.join('\n').toLowerCase();
}

const routesOf = (conversation: ConversationInput) => conversation.panes.map((pane) => `${pane.target} @ ${pane.region}`);

/** `%` and `_` typed by the user are literal characters, not wildcards. */
const likePattern = (search: string) => `%${search.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

interface SummaryRow {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  routes: string;
  turns: number;
}

export class ConversationStore {
  private ready: Promise<HistoryDatabase> | null = null;

  constructor(
    private readonly open: () => Promise<HistoryDatabase>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private database(): Promise<HistoryDatabase> {
    return (this.ready ??= this.open().then(async (database) => {
      await database.ensureSchema(SCHEMA);
      return database;
    }));
  }

  private static historyOff(database: HistoryDatabase): string | undefined {
    return database.state.status === 'off' ? database.state.message : undefined;
  }

  async save(input: ConversationInput): Promise<{ id: string; updatedAt: string; saved: boolean; historyOff?: string }> {
    const database = await this.database();
    const id = input.id ?? randomUUID();
    const updatedAt = this.now().toISOString();
    const historyOff = ConversationStore.historyOff(database);
    if (historyOff) return { id, updatedAt, saved: false, historyOff };
    const turns = input.panes.reduce((sum, pane) => sum + pane.turns.length, 0);
    // Read and write in one transaction: `saved` is true only once the commit succeeded.
    await database.transaction(async (tx) => {
      const existing = await tx.all<{ created_at: string }>('select created_at from playground_conversations where id = $id', { id });
      const createdAt = existing[0]?.created_at ?? updatedAt;
      const document: Conversation = { ...input, id, createdAt, updatedAt };
      await tx.run(
        `insert or replace into playground_conversations (id, title, created_at, updated_at, routes, turns, search_text, document)
         values ($id, $title, $createdAt, $updatedAt, $routes, $turns, $searchText, $document)`,
        { id, title: input.title, createdAt, updatedAt, routes: JSON.stringify(routesOf(input)), turns, searchText: searchText(input), document: JSON.stringify(document) },
      );
    });
    return { id, updatedAt, saved: true };
  }

  async list(options: { search?: string; limit?: number } = {}): Promise<ConversationList> {
    const database = await this.database();
    const search = options.search?.trim();
    const rows = await database.all<SummaryRow>(
      `select id, title, created_at, updated_at, routes, turns from playground_conversations
       ${search ? "where search_text like $pattern escape '\\'" : ''}
       order by updated_at desc limit $limit`,
      { limit: Math.max(1, Math.min(500, Math.floor(options.limit ?? 100))), ...(search ? { pattern: likePattern(search) } : {}) },
    );
    const conversations: ConversationSummary[] = rows.map((row) => ({
      id: row.id,
      title: row.title,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      routes: JSON.parse(row.routes) as string[],
      turns: Number(row.turns),
    }));
    const historyOff = ConversationStore.historyOff(database);
    return historyOff ? { conversations, historyOff } : { conversations };
  }

  async get(id: string): Promise<Conversation> {
    const database = await this.database();
    const rows = await database.all<{ document: string }>('select document from playground_conversations where id = $id', { id });
    if (!rows[0]) throw new ConversationNotFound(`No saved conversation has the id ${id}: it may have been deleted.`);
    return JSON.parse(rows[0].document) as Conversation;
  }

  async delete(id: string): Promise<{ deleted: boolean }> {
    const database = await this.database();
    const before = await database.all<{ n: number }>('select count(*)::integer as n from playground_conversations where id = $id', { id });
    await database.run('delete from playground_conversations where id = $id', { id });
    return { deleted: Number(before[0]?.n ?? 0) > 0 };
  }
}
