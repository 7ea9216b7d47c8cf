import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { ConverseInputSchema, type ContentBlock, type Conversation, type ConversationInput, type ConverseFailure } from '../../src-shared/contract';
import { offersOptimizedLatency, takesImages } from '../../src-shared/playground/model-options';
import { applyPreset, PRESETS, type PresetId } from '../../src-shared/playground/presets';
import { planRoute } from '../../src-shared/playground/route-plan';
import { useAtlas } from '../api/atlas-context';
import { useCell, type Cell } from '../app/cell';
import { useLiveWork } from '../app/live-work';
import { useCatalog } from '../catalog/use-catalog';
import { inGeographicOrder } from '../../src-shared/regions';
import { CopyAsCodeDialog } from './CopyAsCodeDialog';
import { CONVERSATIONS_KEY, HistoryPanel } from './HistoryPanel';
import { Pane } from './Pane';
import { describeIssues, newPaneConfig, requestOf, type PaneConfig } from './pane-config';
import { messagesFor, PaneSession } from './pane-session';
import { PromptBox, type AttachedImage } from './PromptBox';
import { SummaryRow } from './SummaryRow';
import { describeSkipped, panesToSend } from './send-plan';
import type { PaneState } from './playground-work';
import { useAnyStreaming } from './use-sessions';
import './playground.css';
import './pane.css';
import './prompt.css';

const MAX_PANES = 4;

/** The page always keeps a pane (the last one has no Remove button): finding none is a bug. */
class NoPaneError extends Error {
  override name = 'NoPaneError';
  constructor() {
    super('The playground has no pane');
  }
}

function present(pane: PaneState | undefined): PaneState {
  if (!pane) throw new NoPaneError();
  return pane;
}

export function PlaygroundPage() {
  const catalog = useCatalog();
  if (catalog.error) return <section className="empty-state"><h1>Playground</h1><p className="pg-error">The catalog is not available: {(catalog.error as Error).message}</p></section>;
  if (!catalog.data) return <section className="empty-state" aria-busy="true"><h1>Playground</h1><p>Loading the catalog…</p></section>;
  return <Playground document={catalog.data.document} />;
}

function defaultTarget(document: CatalogDocument): string {
  const preferred = ['anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0'];
  return preferred.find((id) => Object.hasOwn(document.models, id)) ?? Object.keys(document.models)[0] ?? '';
}

/** Saved history keeps the words, not the pictures: an image becomes a note (the host takes 1 MB per call). */
const withoutImageBytes = (content: ContentBlock[]): ContentBlock[] => content.map((block) => ('image' in block ? { text: `[${block.image.format} image, not kept in history]` } : block));

function Playground({ document }: { document: CatalogDocument }) {
  const { api, streams } = useAtlas();
  const queryClient = useQueryClient();
  const regions = useMemo(() => inGeographicOrder(Object.keys(document.regions)), [document]);
  const home = regions.includes('us-east-1') ? 'us-east-1' : (regions[0] ?? 'us-east-1');
  // The panes, their conversation and what goes with it live outside the page: an answer streaming while the
  // page is away goes on into its pane, and the save at its end updates this same conversation.
  const work = useLiveWork().playground;
  if (work.panes.get() === null) work.panes.set([{ config: newPaneConfig(defaultTarget(document), home), session: new PaneSession() }]);
  const [panes, setPanes] = useCell(work.panes as Cell<PaneState[]>);
  const [prompt, setPrompt] = useCell(work.prompt);
  const [system, setSystem] = useCell(work.system);
  const [images, setImages] = useState<AttachedImage[]>([]);
  const [autoRoute, setAutoRoute] = useCell(work.autoRoute);
  const [notice, setNotice] = useCell(work.notice);
  const [tokenCounts, setTokenCounts] = useState<Record<string, string>>({});
  const [conversation, setConversation] = useCell(work.conversation);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [codeFor, setCodeFor] = useState<PaneState | null>(null);
  const sessions = useMemo(() => panes.map((pane) => pane.session), [panes]);
  const busy = useAnyStreaming(sessions);

  const updatePane = (id: string, config: PaneConfig) => setPanes((current) => current.map((pane) => (pane.config.id === id ? { ...pane, config } : pane)));
  const addPane = () => {
    const last = present(panes.at(-1)).config;
    setPanes([...panes, { config: newPaneConfig(last.target, last.region, last), session: new PaneSession() }]);
  };
  const removePane = (id: string) => setPanes(panes.filter((pane) => pane.config.id !== id));

  const preset = (id: PresetId) => {
    setNotice(null);
    try {
      const first = present(panes[0]).config;
      const routes = applyPreset(document, id, first);
      for (const pane of panes) pane.session.cancel();
      setPanes(routes.map((route) => ({ config: newPaneConfig(route.target, route.region, first), session: new PaneSession() })));
      setConversation({ id: null, title: null });
    } catch (error) {
      setNotice((error as Error).message);
    }
  };

  const save = async (title: string) => {
    const saved: ConversationInput = {
      ...(conversation.id ? { id: conversation.id } : {}),
      title,
      ...(system.trim() ? { system } : {}),
      panes: panes.map(({ config, session }) => {
        let request: ReturnType<typeof requestOf> | null = null;
        try {
          request = requestOf(config, { system, autoRoute });
        } catch {
          // Parameters that cannot be sent are not saved either; the turns say what happened.
        }
        return {
          target: config.target || '(none)',
          region: config.region,
          ...(request?.inferenceConfig ? { inferenceConfig: request.inferenceConfig } : {}),
          ...(request?.latency ? { latency: request.latency } : {}),
          ...(request?.serviceTier ? { serviceTier: request.serviceTier } : {}),
          ...(autoRoute ? { autoProfile: true } : {}),
          turns: session.getSnapshot().turns.map((turn) => ({ ...turn, content: withoutImageBytes(turn.content) })),
        };
      }),
    };
    try {
      const answer = await api.saveConversation(saved);
      if (answer.saved) setConversation({ id: answer.id, title });
      else setNotice(`Not saved: ${answer.historyOff}`);
      await queryClient.invalidateQueries({ queryKey: CONVERSATIONS_KEY });
    } catch (error) {
      setNotice(`Not saved: ${(error as Error).message}`);
    }
  };

  const send = async () => {
    if (busy) return;
    const content: ContentBlock[] = [...(prompt.trim() ? [{ text: prompt }] : []), ...images.map((image) => ({ image: { format: image.format, bytesBase64: image.bytesBase64 } }))];
    if (content.length === 0) {
      setNotice('The prompt is empty: write something to send.');
      return;
    }
    // A pane whose route plan already refuses it is not sent: its plan keeps the whole reason and the fix.
    const { send: sending, skipped } = panesToSend(document, panes, autoRoute);
    setNotice(describeSkipped(skipped, panes.length));
    if (sending.length === 0) return;
    setPrompt('');
    setImages([]);
    setTokenCounts({});
    const words = prompt.trim().replace(/\s+/g, ' ');
    const title = conversation.title ?? (words.length > 80 ? `${words.slice(0, 79).replace(/\s\S*$/, '')}…` : words || 'Image prompt');
    await Promise.all(
      sending.map(async ({ config, session }) => {
        const refuse = (failure: ConverseFailure) => session.refuse(content, failure);
        const plan = planRoute(document, config.target, config.region, autoRoute);
        if (!plan.ok) return refuse({ name: plan.name, code: plan.code, message: plan.message });
        if (images.length > 0 && !takesImages(plan.route.model)) {
          return refuse({ name: 'ImagesNotAccepted', code: 'IMAGES_NOT_ACCEPTED', message: `${plan.route.modelId} does not take images (its input: ${plan.route.model?.inputModalities.join(', ') ?? 'unknown'}). Remove the image or choose a model that takes images.` });
        }
        if (config.latency === 'optimized' && !offersOptimizedLatency(plan.route.modelId)) {
          return refuse({ name: 'LatencyModeNotOffered', code: 'LATENCY_NOT_OFFERED', message: `${plan.route.modelId} does not offer latency-optimized inference: set Latency to standard or leave it unset.` });
        }
        let request: ReturnType<typeof requestOf>;
        try {
          request = requestOf(config, { system, autoRoute });
        } catch (error) {
          return refuse({ name: (error as Error).name, code: 'INVALID_PARAMETER', message: (error as Error).message });
        }
        const check = ConverseInputSchema.safeParse({ ...request, messages: messagesFor([...session.getSnapshot().turns, { role: 'user', content }]) });
        if (!check.success) return refuse({ name: 'ValidationError', code: 'INVALID_ARGUMENT', message: describeIssues(check.error) });
        await session.send(streams, request, content);
      }),
    );
    await save(title);
  };

  const countTokens = async () => {
    const content: ContentBlock[] = [{ text: prompt }];
    const counts = await Promise.all(
      panes.map(async ({ config, session }) => {
        try {
          const count = await api.countTokens({ target: config.target, region: config.region, messages: messagesFor([...session.getSnapshot().turns, { role: 'user', content }]), ...(system.trim() ? { system } : {}) });
          return [config.id, `${count.inputTokens} input tokens before sending (CountTokens, ${count.modelId})`] as const;
        } catch (error) {
          return [config.id, (error as { code?: string }).code === 'COUNT_TOKENS_UNAVAILABLE' ? 'Token count not offered for this model: the count arrives with the answer.' : `No token count: ${(error as Error).message}`] as const;
        }
      }),
    );
    setTokenCounts(Object.fromEntries(counts));
  };

  const open = (saved: Conversation) => {
    for (const pane of panes) pane.session.cancel();
    const opened = saved.panes.map((pane): PaneState => {
      const session = new PaneSession();
      session.load(pane.turns);
      const config = newPaneConfig(pane.target, pane.region);
      return {
        session,
        config: {
          ...config,
          maxTokens: pane.inferenceConfig?.maxTokens !== undefined ? String(pane.inferenceConfig.maxTokens) : '',
          temperature: pane.inferenceConfig?.temperature !== undefined ? String(pane.inferenceConfig.temperature) : '',
          topP: pane.inferenceConfig?.topP !== undefined ? String(pane.inferenceConfig.topP) : '',
          stopSequences: (pane.inferenceConfig?.stopSequences ?? []).join('\n'),
          latency: pane.latency ?? '',
          serviceTier: pane.serviceTier ?? '',
        },
      };
    });
    setPanes(opened);
    setSystem(saved.system ?? '');
    setAutoRoute(saved.panes.some((pane) => pane.autoProfile));
    setConversation({ id: saved.id, title: saved.title });
    setHistoryOpen(false);
  };

  const startOver = () => {
    for (const pane of panes) pane.session.clear();
    setConversation({ id: null, title: null });
    setNotice(null);
  };

  const codeCall = (() => {
    if (!codeFor) return null;
    const plan = planRoute(document, codeFor.config.target, codeFor.config.region, autoRoute);
    if (!plan.ok) return null;
    let request: ReturnType<typeof requestOf>;
    try {
      request = requestOf(codeFor.config, { system, autoRoute });
    } catch {
      request = { target: codeFor.config.target, region: codeFor.config.region };
    }
    const turns = codeFor.session.getSnapshot().turns;
    const messages = messagesFor([...turns, { role: 'user', content: [{ text: prompt.trim() || 'Hello' }] }]);
    return { input: { ...request, messages }, invokeId: plan.route.invokeId, region: plan.route.callRegion, streaming: plan.route.model?.streaming !== false };
  })();

  return (
    <div className={`pg-page${historyOpen ? ' with-history' : ''}`}>
      <div className="pg-main">
        <div className="pg-toolbar" role="toolbar" aria-label="Playground">
          <h1 className="pg-title">Playground</h1>
          <span className="pg-conversation" title={conversation.title ?? undefined}>{conversation.title ?? 'New conversation'}</span>
          <label className="pg-auto" title="A bare id that this region serves only through profiles is sent through the best profile (geo before global); each answer says so">
            <input type="checkbox" checked={autoRoute} onChange={(event) => setAutoRoute(event.target.checked)} /> Route automatically
          </label>
          <select aria-label="Compare preset" value="" onChange={(event) => event.target.value && preset(event.target.value as PresetId)} disabled={busy}>
            <option value="">Presets…</option>
            {PRESETS.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.label}
              </option>
            ))}
          </select>
          <button type="button" onClick={addPane} disabled={panes.length >= MAX_PANES || busy}>
            Add pane
          </button>
          <button type="button" onClick={startOver} disabled={busy}>
            New conversation
          </button>
          <button type="button" onClick={() => setHistoryOpen(!historyOpen)} aria-expanded={historyOpen}>
            History
          </button>
        </div>
        {notice ? (
          <p className="pg-notice" role="status">
            {notice}
          </p>
        ) : null}
        <div className="pg-panes" style={{ gridTemplateColumns: `repeat(${panes.length}, minmax(0, 1fr))` }}>
          {panes.map((pane, index) => (
            <Pane
              key={pane.config.id}
              index={index}
              config={pane.config}
              session={pane.session}
              document={document}
              regions={regions}
              autoRoute={autoRoute}
              tokenCount={tokenCounts[pane.config.id] ?? null}
              canRemove={panes.length > 1}
              onChange={(config) => updatePane(pane.config.id, config)}
              onRemove={() => removePane(pane.config.id)}
              onCopyAsCode={() => setCodeFor(pane)}
            />
          ))}
        </div>
        <SummaryRow sessions={sessions} />
        <PromptBox
          prompt={prompt}
          system={system}
          images={images}
          busy={busy}
          panes={panes.length}
          onPrompt={setPrompt}
          onSystem={setSystem}
          onImages={setImages}
          onSend={() => void send()}
          onCancelAll={() => panes.forEach((pane) => pane.session.cancel())}
          onCountTokens={() => void countTokens()}
        />
      </div>
      {historyOpen ? <HistoryPanel onOpen={open} onClose={() => setHistoryOpen(false)} currentId={conversation.id} /> : null}
      {codeCall ? <CopyAsCodeDialog call={codeCall} onClose={() => setCodeFor(null)} /> : null}
    </div>
  );
}
