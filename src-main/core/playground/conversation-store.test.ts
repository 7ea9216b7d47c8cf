import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationInput, ConverseResult } from '../../../src-shared/contract';
import { ConversationSchema } from '../../../src-shared/contract';
import { openHistoryDatabase, type HistoryDatabase } from '../storage/history-database';
import { ConversationStore } from './conversation-store';

const opened: HistoryDatabase[] = [];
afterEach(() => {
  while (opened.length > 0) opened.pop()!.close();
});

async function storeIn(dataDir: string | null) {
  const database = await openHistoryDatabase({ dataDir });
  opened.push(database);
  return new ConversationStore(async () => database);
}

const result: ConverseResult = {
  text: 'Regions are places.',
  stopReason: 'end_turn',
  usage: null,
  metrics: { ttftMs: 100, e2eMs: 200, outputTokensPerSecond: null, serverLatencyMs: null },
  route: { invokeId: 'us.amazon.nova-pro-v1:0', callRegion: 'us-east-1', kind: 'geo-profile' },
  served: {},
  api: 'ConverseStream',
};

function conversation(title: string, prompt: string, region = 'us-east-1'): ConversationInput {
  return {
    title,
    system: 'Be brief.',
    panes: [
      {
        target: 'amazon.nova-pro-v1:0',
        region,
        inferenceConfig: { maxTokens: 100 },
        turns: [
          { role: 'user', content: [{ text: prompt }] },
          { role: 'assistant', content: [{ text: 'Regions are places.' }], result },
        ],
      },
    ],
  };
}

describe('saved conversations', () => {
  it('saves, lists newest first, reopens whole, replaces by id and deletes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-conversations-'));
    const store = await storeIn(dir);
    const first = await store.save(conversation('Regions', 'What is a region?'));
    const second = await store.save(conversation('Latency', 'How fast is eu-west-1?', 'eu-west-1'));
    expect(first.saved).toBe(true);

    const list = await store.list();
    expect(list.conversations.map((entry) => entry.title)).toEqual(['Latency', 'Regions']);
    expect(list.conversations[1]).toMatchObject({ id: first.id, routes: ['amazon.nova-pro-v1:0 @ us-east-1'], turns: 2 });

    const reopened = await store.get(first.id);
    expect(reopened).toMatchObject({ id: first.id, title: 'Regions', system: 'Be brief.', panes: [{ turns: [{}, { result: { route: { invokeId: 'us.amazon.nova-pro-v1:0' } } }] }] });

    await store.save({ ...conversation('Regions, again', 'What is a region?'), id: first.id });
    const replaced = await store.get(first.id);
    expect(replaced.title).toBe('Regions, again');
    expect(replaced.createdAt).toBe(reopened.createdAt);

    expect(await store.delete(second.id)).toEqual({ deleted: true });
    expect(await store.delete(second.id)).toEqual({ deleted: false });
    await expect(store.get(second.id)).rejects.toMatchObject({ name: 'ConversationNotFound' });
  });

  it('searches titles, prompts, answers, targets and regions; % and _ are plain characters', async () => {
    const store = await storeIn(null);
    await store.save(conversation('Regions', 'What is a region?'));
    await store.save(conversation('Speed', 'How fast is 100% of it?', 'eu-west-1'));
    const titles = async (search: string) => (await store.list({ search })).conversations.map((entry) => entry.title);
    expect(await titles('WHAT IS A REGION')).toEqual(['Regions']);
    expect(await titles('eu-west-1')).toEqual(['Speed']);
    expect(await titles('places')).toEqual(['Speed', 'Regions']);
    expect(await titles('100%')).toEqual(['Speed']);
    expect(await titles('%')).toEqual(['Speed']);
    expect(await titles('nothing like this')).toEqual([]);
  });

  it('with history off (an unwritable data directory) nothing is saved and the reason is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atlas-conversations-'));
    await writeFile(join(dir, 'a-file'), 'not a directory');
    const store = await storeIn(join(dir, 'a-file', 'data'));
    const saved = await store.save(conversation('Regions', 'What is a region?'));
    expect(saved).toMatchObject({ saved: false, historyOff: expect.stringContaining('History is off') });
    expect((await store.list()).historyOff).toMatch(/History is off/);
  });

  it.each([
    ['no panes', { title: 'x', panes: [] }, /at least one pane/],
    ['five panes', { title: 'x', panes: Array.from({ length: 5 }, () => conversation('x', 'y').panes[0]) }, /At most 4 panes/],
    ['an empty title', { ...conversation('x', 'y'), title: '  ' }, /needs a title/],
    ['an id that is not a UUID', { ...conversation('x', 'y'), id: '../etc' }, /is a UUID/],
    [
      'an answer whose result is empty',
      { ...conversation('x', 'y'), panes: [{ ...conversation('x', 'y').panes[0], turns: [{ role: 'assistant', content: [{ text: 'a' }], result: {} }] }] },
      /^panes\.0\.turns\.0\.result\.text: /,
    ],
    ['a NUL in a target', { ...conversation('x', 'y'), panes: [{ ...conversation('x', 'y').panes[0], target: 'amazon.nova\u0000' }] }, /^panes\.0\.target: A model id may not contain control characters/],
  ])('refuses a conversation with %s', (_case, input, message) => {
    const parsed = ConversationSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')).toMatch(message);
  });
});
