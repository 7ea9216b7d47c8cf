import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { historyFeature } from '../storage/history-feature';
import { ConversationStore } from './conversation-store';
import { converse } from './converse';
import { countTokens } from './count-tokens';

/** The playground: the `converse` stream through any region or profile, token counts, and saved conversations. */
export const playgroundFeature = defineFeature({
  name: 'playground',
  // The store holds the history database of the data directory in force; the history feature's rebuild brings a new one.
  dependsOn: { aws: awsFeature, catalog: catalogFeature, history: historyFeature },
  create: (_context, { aws, catalog, history }) => {
    const document = async () => (await catalog.get()).document;
    const conversations = new ConversationStore(() => history.database());
    return {
      exports: null,
      methods: {
        countTokens: (input, { signal }) => countTokens(input, signal, { clients: aws, catalog: document }),
        saveConversation: (input) => conversations.save(input),
        listConversations: (input) => conversations.list(input ?? {}),
        getConversation: ({ id }) => conversations.get(id),
        deleteConversation: ({ id }) => conversations.delete(id),
      },
      streams: {
        converse: (input, context) => converse(input, context, { clients: aws, catalog: document }),
      },
    };
  },
});
