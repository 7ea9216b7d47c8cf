import { z } from 'zod';
import { method, ModelIdSchema, RegionNameSchema, stream } from './define';
import { MAX_BLOCKS_PER_MESSAGE, MAX_IMAGE_BYTES, MAX_IMAGES_PER_REQUEST, MAX_PROMPT_TEXT_CHARS, MAX_STOP_SEQUENCE_CHARS, MAX_STOP_SEQUENCES } from './limits';

export { MAX_IMAGE_BYTES, MAX_IMAGES_PER_REQUEST } from './limits';

/**
 * The playground's one stream: a conversation sent through one route (a model id, a profile id or ARN, from one
 * region), streamed token by token. Bedrock's request limits are checked here, before anything is sent.
 */

export const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'] as const;
export const MAX_OUTPUT_TOKENS = 200_000;

const decodedBytes = (base64: string) => Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);

const ImageBlockSchema = z
  .object({
    image: z
      .object({
        format: z.enum(IMAGE_FORMATS, { error: `Images must be one of ${IMAGE_FORMATS.join(', ')}` }),
        bytesBase64: z
          .string()
          .min(1, 'The image is empty')
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The image is not valid base64')
          .refine((value) => decodedBytes(value) <= MAX_IMAGE_BYTES, {
            error: (issue) =>
              `The image is ${(decodedBytes(issue.input as string) / 1024 / 1024).toFixed(2)} MB; Bedrock accepts at most 3.75 MB per image`,
          }),
      })
      .strict(),
  })
  .strict();
const TextBlockSchema = z.object({ text: z.string().max(1_000_000) }).strict();
type TextBlock = z.infer<typeof TextBlockSchema>;
type ImageBlock = z.infer<typeof ImageBlockSchema>;
/** A block with an `image` key is judged as an image, anything else as text, so the message names the real fault. */
const blockSchemaFor = (value: unknown) => (value !== null && typeof value === 'object' && 'image' in value ? ImageBlockSchema : TextBlockSchema);
const ContentBlockSchema = z.custom<TextBlock | ImageBlock>((value) => blockSchemaFor(value).safeParse(value).success, {
  error: (issue) => blockSchemaFor(issue.input).safeParse(issue.input).error?.issues[0]?.message ?? 'A content block is {text} or {image: {format, bytesBase64}}',
});
export type ContentBlock = z.infer<typeof ContentBlockSchema>;

const MessageSchema = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.array(ContentBlockSchema).min(1, 'A message needs content').max(MAX_BLOCKS_PER_MESSAGE, `A message has at most ${MAX_BLOCKS_PER_MESSAGE} content blocks`),
  })
  .strict();
export type ConversationMessage = z.infer<typeof MessageSchema>;

const hasText = (message: ConversationMessage) => message.content.some((block) => 'text' in block && block.text.trim() !== '');
const imageCount = (messages: ConversationMessage[]) => messages.flatMap((message) => message.content).filter((block) => 'image' in block).length;

/** All the text of a request, system prompt included, in characters. */
export function promptTextLength(input: { system?: string; messages: ConversationMessage[] }): number {
  let length = input.system?.length ?? 0;
  for (const message of input.messages) for (const block of message.content) if ('text' in block) length += block.text.length;
  return length;
}

/** A prompt over the limit is refused before it is sent (Bedrock drops such a request mid-upload), naming the limit. */
function refuseLongPrompt(input: { system?: string; messages: ConversationMessage[] }, context: z.RefinementCtx): void {
  const length = promptTextLength(input);
  if (length > MAX_PROMPT_TEXT_CHARS) {
    context.addIssue({
      code: 'custom',
      path: ['messages'],
      message: `The prompt is ${length.toLocaleString('en-US')} characters; a request carries at most ${MAX_PROMPT_TEXT_CHARS.toLocaleString('en-US')} characters of text`,
    });
  }
}

export const LatencyModeSchema = z.enum(['standard', 'optimized']);
export type LatencyMode = z.infer<typeof LatencyModeSchema>;

const MessagesSchema = z
  .array(MessageSchema)
  .min(1, 'The conversation is empty: write a prompt')
  .max(200)
  .refine((messages) => {
    const last = messages.at(-1);
    return last === undefined || last.role === 'user';
  }, 'The last message must be from the user')
  .refine((messages) => {
    const last = messages.at(-1);
    return last === undefined || hasText(last) || imageCount([last]) > 0;
  }, 'The prompt is empty')
  .refine((messages) => imageCount(messages) <= MAX_IMAGES_PER_REQUEST, `Bedrock accepts at most ${MAX_IMAGES_PER_REQUEST} images per request`);
const SystemSchema = z.string().max(200_000);

export const InferenceConfigSchema = z
  .object({
    maxTokens: z.number().int().min(1, 'maxTokens must be at least 1').max(MAX_OUTPUT_TOKENS, `maxTokens may be at most ${MAX_OUTPUT_TOKENS}`).optional(),
    temperature: z.number().min(0).max(1).optional(),
    topP: z.number().min(0).max(1).optional(),
    stopSequences: z
      .array(z.string().min(1, 'A stop sequence is at least 1 character').max(MAX_STOP_SEQUENCE_CHARS, `A stop sequence is at most ${MAX_STOP_SEQUENCE_CHARS} characters`))
      .max(MAX_STOP_SEQUENCES, `At most ${MAX_STOP_SEQUENCES} stop sequences`)
      .optional(),
  })
  .strict();
export type InferenceConfig = z.infer<typeof InferenceConfigSchema>;

export const SERVICE_TIERS = ['default', 'priority', 'flex'] as const;
export const ServiceTierSchema = z.enum(SERVICE_TIERS);
export type ServiceTier = z.infer<typeof ServiceTierSchema>;

export const ConverseInputSchema = z
  .object({
    /** A model id, an inference profile id, or a profile ARN. */
    target: ModelIdSchema,
    /** The region the user calls from; a profile decides where the request is served. */
    region: RegionNameSchema,
    messages: MessagesSchema,
    system: SystemSchema.optional(),
    inferenceConfig: InferenceConfigSchema.optional(),
    latency: LatencyModeSchema.optional(),
    serviceTier: ServiceTierSchema.optional(),
    /** Call a bare model id that this region serves only through profiles through the best profile, and say so. */
    autoProfile: z.boolean().optional(),
  })
  .strict()
  .superRefine(refuseLongPrompt);
export type ConverseInput = z.infer<typeof ConverseInputSchema>;

export interface ConverseRoute {
  /** The id or ARN sent as modelId. */
  invokeId: string;
  /** The region whose endpoint was called. */
  callRegion: string;
  kind: 'on-demand' | 'geo-profile' | 'global-profile';
  /** Set when auto-profile replaced a bare id that the region serves only through profiles. */
  autoRoutedFrom?: string;
}

export type ConverseChunk = { text: string };

export interface ConverseResult {
  text: string;
  stopReason: string | null;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number } | null;
  /** Definitions as in the latency lab (README): TTFT and E2E from the request's send; output speed excludes TTFT. */
  metrics: { ttftMs: number | null; e2eMs: number; outputTokensPerSecond: number | null; serverLatencyMs: number | null };
  route: ConverseRoute;
  /** What the response metadata says was served; Bedrock falls back from optimized to standard silently. */
  served: { latency?: string; serviceTier?: string };
  /** How the call was made: ConverseStream, or Converse for a model without streaming. */
  api: 'ConverseStream' | 'Converse';
  /**
   * Bedrock's request id (`x-amzn-requestid`): what CloudTrail knows the call by, so where a profile served it can be
   * looked up (`answerServedRegion`), and what a support case asks for. Absent when no answer arrived with one.
   */
  requestId?: string;
  /** When it was sent (ISO time): where CloudTrail's event of the call is looked for. Absent in answers saved before it was kept. */
  sentAt?: string;
  /** Set when the caller cancelled mid-answer: `text` is what had arrived, the figures are as far as it got. */
  cancelled?: true;
}

/** What the response footer shows when the call ended early: the text so far is kept. */
export interface ConverseFailure {
  name: string;
  code?: string;
  message: string;
}

// ---- Token counting --------------------------------------------------------------------------------------------

export const CountTokensInputSchema = z
  .object({ target: ModelIdSchema, region: RegionNameSchema, messages: MessagesSchema, system: SystemSchema.optional() })
  .strict()
  .superRefine(refuseLongPrompt);
export type CountTokensInput = z.input<typeof CountTokensInputSchema>;

export interface TokenCount {
  inputTokens: number;
  /** The foundation model that was asked (CountTokens takes model ids, not profiles). */
  modelId: string;
  region: string;
}

// ---- Conversations kept in the history database ----------------------------------------------------------------

const nullableNumber = z.number().nullable();
/** An answer as kept with its turn: what the history list, the search and the exports read must be there. */
const SavedResultSchema = z
  .object({
    text: z.string(),
    stopReason: z.string().nullable(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), totalTokens: z.number() }).passthrough().nullable(),
    metrics: z.object({ ttftMs: nullableNumber, e2eMs: z.number(), outputTokensPerSecond: nullableNumber, serverLatencyMs: nullableNumber }).passthrough(),
    route: z
      .object({ invokeId: z.string().min(1), callRegion: z.string().min(1), kind: z.enum(['on-demand', 'geo-profile', 'global-profile']), autoRoutedFrom: z.string().optional() })
      .passthrough(),
    served: z.object({ latency: z.string().optional(), serviceTier: z.string().optional() }).passthrough(),
    api: z.enum(['ConverseStream', 'Converse']),
    requestId: z.string().min(1).max(200).optional(),
    sentAt: z.iso.datetime({ offset: true }).optional(),
  })
  .passthrough() as z.ZodType<ConverseResult>;

/** One pane of a saved session: its route and parameters, and the turns it exchanged. */
export const SavedPaneSchema = z
  .object({
    target: ModelIdSchema,
    region: RegionNameSchema,
    inferenceConfig: InferenceConfigSchema.optional(),
    latency: LatencyModeSchema.optional(),
    serviceTier: ServiceTierSchema.optional(),
    autoProfile: z.boolean().optional(),
    turns: z
      .array(
        z
          .object({
            role: z.enum(['user', 'assistant']),
            content: z.array(ContentBlockSchema),
            /** The answer's figures and route (assistant turns). */
            result: SavedResultSchema.optional(),
            /** Why the answer stopped early; its text so far is in `content`. */
            error: z.object({ name: z.string(), code: z.string().optional(), message: z.string() }).strict().optional(),
          })
          .strict(),
      )
      .max(400),
  })
  .strict();
export type SavedPane = z.infer<typeof SavedPaneSchema>;
export type SavedTurn = SavedPane['turns'][number];

export const ConversationSchema = z
  .object({
    /** Absent on the first save: the store gives one. */
    id: z.string().uuid('A conversation id is a UUID').optional(),
    title: z.string().trim().min(1, 'A conversation needs a title').max(200),
    system: SystemSchema.optional(),
    panes: z.array(SavedPaneSchema).min(1, 'A conversation has at least one pane').max(4, 'At most 4 panes'),
  })
  .strict();
export type ConversationInput = z.infer<typeof ConversationSchema>;

export interface Conversation extends ConversationInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  /** "target @ region" per pane. */
  routes: string[];
  turns: number;
}

export interface ConversationList {
  conversations: ConversationSummary[];
  /** Why nothing can be kept (history off: a locked or unwritable data directory). */
  historyOff?: string;
}

const ConversationIdSchema = z.object({ id: z.string().uuid('A conversation id is a UUID') }).strict();

export const playgroundMethods = {
  /** The input tokens of a conversation before sending, through the runtime's CountTokens (not every model offers it). */
  countTokens: method<TokenCount>()(CountTokensInputSchema),
  /** Saves (creates, or replaces by id) a conversation in the history database. */
  saveConversation: method<{ id: string; updatedAt: string; saved: boolean; historyOff?: string }>()(ConversationSchema),
  /** Newest first; `search` matches titles, prompts, answers, targets and regions. */
  listConversations: method<ConversationList>()(
    z.object({ search: z.string().max(200).optional(), limit: z.number().int().min(1).max(500).default(100) }).strict().optional(),
  ),
  getConversation: method<Conversation>()(ConversationIdSchema),
  deleteConversation: method<{ deleted: boolean }>()(ConversationIdSchema),
};

export const playgroundStreams = {
  converse: stream<ConverseChunk, ConverseResult>()(ConverseInputSchema, {
    coalesce: (previous, next) => ({ text: previous.text + next.text }),
  }),
};
