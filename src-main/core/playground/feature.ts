import { awsFeature } from '../app/aws-feature';
import type { Feature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { historyFeature } from '../storage/history-feature';
import { ConversationStore } from './conversation-store';
import { converse } from './converse';
import { countTokens } from './count-tokens';

/** The playground: the `converse` stream through any region or profile, token counts, and saved conversations. */
export const playgroundFeature: Feature<null> = {
  name: 'playground',
  // The store holds the history database of the data directory in force: a new one means a new store.
  rebuildOn: ['dataDir'],
  create: ({ use }) => {
    const catalog = async () => (await use(catalogFeature).get()).document;
    const conversations = new ConversationStore(() => use(historyFeature).database());
    return {
      exports: null,
      methods: {
        countTokens: (input, { signal }) => countTokens(input, signal, { clients: use(awsFeature), catalog }),
        saveConversation: (input) => conversations.save(input),
        listConversations: (input) => conversations.list(input ?? {}),
        getConversation: ({ id }) => conversations.get(id),
        deleteConversation: ({ id }) => conversations.delete(id),
      },
      streams: {
        converse: (input, context) => converse(input, context, { clients: use(awsFeature), catalog }),
      },
    };
  },
};
