import { memo, useId, useMemo, useState } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { SERVICE_TIERS } from '../../src-shared/contract';
import { offersOptimizedLatency } from '../../src-shared/playground/model-options';
import { planRoute } from '../../src-shared/playground/route-plan';
import { CheckAccess } from '../access/CheckAccess';
import type { PaneConfig } from './pane-config';
import type { PaneSession } from './pane-session';
import { targetDisplayName } from './target-name';
import { ConversationCost } from './ConversationCost';
import { Transcript } from './Transcript';
import { useSession } from './use-sessions';

export interface PaneProps {
  index: number;
  config: PaneConfig;
  session: PaneSession;
  document: CatalogDocument;
  regions: string[];
  autoRoute: boolean;
  /** The input token count for the prompt box (CountTokens), or why there is none. */
  tokenCount: string | null;
  canRemove: boolean;
  onChange(config: PaneConfig): void;
  onRemove(): void;
  onCopyAsCode(): void;
}

/** One conversation through one route: target and region, parameters, how the call will be made, the answers. */
export function Pane({ index, config, session, document, regions, autoRoute, tokenCount, canRemove, onChange, onRemove, onCopyAsCode }: PaneProps) {
  const snapshot = useSession(session);
  const id = useId();
  const plan = useMemo(() => planRoute(document, config.target, config.region, autoRoute), [document, config.target, config.region, autoRoute]);
  // The access doctor's IAM calls are not free: it runs only when asked, then follows the pane's route.
  const [checkingAccess, setCheckingAccess] = useState(false);
  const modelId = plan.ok ? plan.route.modelId : null;
  const name = useMemo(() => targetDisplayName(document, config.target), [document, config.target]);
  const optimized = modelId !== null && offersOptimizedLatency(modelId);
  const set = (patch: Partial<PaneConfig>) => onChange({ ...config, ...patch });
  // Stable while the settings are: finished turns are memoised on it and must not redraw at every streamed frame.
  const asked = useMemo(() => ({ ...(config.latency ? { latency: config.latency } : {}), ...(config.serviceTier ? { serviceTier: config.serviceTier } : {}) }), [config.latency, config.serviceTier]);
  const streaming = snapshot.status === 'streaming';

  return (
    <section className="pg-pane" aria-labelledby={`${id}-title`} data-testid={`pane-${index + 1}`}>
      <header className="pg-pane-header">
        <h2 id={`${id}-title`}>Pane {index + 1}</h2>
        <span className={`pg-status pg-status-${snapshot.status}`}>{snapshot.status === 'idle' ? '' : snapshot.status}</span>
        <button type="button" onClick={onCopyAsCode} disabled={!plan.ok} title="The exact call as AWS CLI, TypeScript or Python">
          Copy as code
        </button>
        {canRemove ? (
          <button type="button" className="pg-remove" onClick={onRemove} aria-label={`Remove pane ${index + 1}`} disabled={streaming}>
            ×
          </button>
        ) : null}
      </header>

      <div className="pg-route-fields">
        <label className="pg-field pg-target">
          <span>Model or profile</span>
          {/* The field holds the id (what is sent and copied); until it is focused, the name covers it, since a
              narrow pane cuts an id after its provider. Hover shows the id too. */}
          <span className={`pg-target-box${name ? ' pg-named' : ''}`}>
            <input
              list={`${id}-targets`}
              value={config.target}
              onChange={(event) => set({ target: event.target.value })}
              placeholder="Search by name or id"
              spellCheck={false}
              title={config.target || undefined}
              aria-label={`Pane ${index + 1} model or profile`}
            />
            {name ? (
              <span className="pg-target-name" aria-hidden>
                <span data-testid="target-name">{name}</span>
              </span>
            ) : null}
          </span>
        </label>
        <label className="pg-field pg-region">
          <span>From region</span>
          <select value={config.region} onChange={(event) => set({ region: event.target.value })} aria-label={`Pane ${index + 1} region`}>
            {regions.map((region) => (
              <option key={region} value={region}>
                {region}
              </option>
            ))}
          </select>
        </label>
        <TargetOptions id={`${id}-targets`} document={document} />
      </div>

      <details className="pg-params">
        <summary>
          Parameters <span className="pg-params-summary">max {config.maxTokens || '–'} tokens{config.temperature ? ` · t ${config.temperature}` : ''}{config.latency ? ` · ${config.latency}` : ''}{config.serviceTier ? ` · ${config.serviceTier}` : ''}</span>
        </summary>
        <div className="pg-params-grid">
          <label className="pg-field">
            <span>maxTokens</span>
            <input type="number" min={1} max={200000} value={config.maxTokens} onChange={(event) => set({ maxTokens: event.target.value })} />
          </label>
          <label className="pg-field">
            <span>temperature</span>
            <input type="number" min={0} max={1} step={0.1} value={config.temperature} placeholder="model default" onChange={(event) => set({ temperature: event.target.value })} />
          </label>
          <label className="pg-field">
            <span>topP</span>
            <input type="number" min={0} max={1} step={0.05} value={config.topP} placeholder="model default" onChange={(event) => set({ topP: event.target.value })} />
          </label>
          <label className="pg-field">
            <span>Latency</span>
            <select value={config.latency} onChange={(event) => set({ latency: event.target.value as PaneConfig['latency'] })} disabled={!optimized && config.latency === ''}>
              <option value="">not set</option>
              <option value="standard">standard</option>
              {optimized || config.latency === 'optimized' ? <option value="optimized">optimized</option> : null}
            </select>
          </label>
          <label className="pg-field">
            <span>Service tier</span>
            <select value={config.serviceTier} onChange={(event) => set({ serviceTier: event.target.value as PaneConfig['serviceTier'] })}>
              <option value="">not set</option>
              {SERVICE_TIERS.map((tier) => (
                <option key={tier} value={tier}>
                  {tier}
                </option>
              ))}
            </select>
          </label>
          <label className="pg-field pg-stops">
            <span>Stop sequences (one per line, up to 4)</span>
            <textarea rows={2} value={config.stopSequences} onChange={(event) => set({ stopSequences: event.target.value })} />
          </label>
        </div>
        {!optimized ? <p className="pg-hint">Optimized latency is offered only for some models (Nova Pro, Claude 3.5 Haiku, Llama 3.1 70B/405B).</p> : null}
      </details>

      <div className={`pg-plan ${plan.ok ? 'pg-plan-ok' : 'pg-plan-bad'}`} data-testid="route-plan" aria-live="polite">
        {plan.ok ? (
          <>
            <p className="pg-plan-lines">
              {plan.lines.map((line, lineIndex) => (
                <span key={lineIndex} className={lineIndex === 0 ? 'pg-invoke' : undefined}>
                  {line}
                </span>
              ))}
            </p>
            {plan.notes.map((note) => (
              <p key={note} className="pg-note">
                {note}
              </p>
            ))}
            {tokenCount ? <p className="pg-count">{tokenCount}</p> : null}
            {checkingAccess ? (
              <CheckAccess target={plan.route.invokeId} from={config.region} compact startAtOnce />
            ) : (
              <button type="button" onClick={() => setCheckingAccess(true)} title="Credentials, model access, lifecycle, IAM and organization policies for this route">
                Check access
              </button>
            )}
          </>
        ) : (
          <>
            <p className="pg-plan-error">{plan.message}</p>
            {plan.fix ? (
              <button type="button" className="primary" onClick={() => set({ target: plan.fix!.target })}>
                {plan.fix.label}
              </button>
            ) : null}
          </>
        )}
      </div>

      <Transcript snapshot={snapshot} asked={asked} />
      <ConversationCost turns={snapshot.turns} />

      {streaming ? (
        <button type="button" className="pg-cancel" onClick={() => session.cancel()}>
          Cancel
        </button>
      ) : null}
    </section>
  );
}

/**
 * Every model that answers in text and every profile, searchable by id or name through the browser's list.
 * Memoised: hundreds of options must not be compared again at every streamed frame.
 */
const TargetOptions = memo(function TargetOptions({ id, document }: { id: string; document: CatalogDocument }) {
  const options = useMemo(
    () => [
      ...Object.values(document.models)
        .filter((model) => model.outputModalities.includes('TEXT'))
        .map((model) => ({ value: model.modelId, label: `${model.providerName} ${model.modelName}` })),
      ...Object.values(document.profiles).map((profile) => ({ value: profile.profileId, label: `${profile.name} (${profile.scope} profile)` })),
    ],
    [document],
  );
  return (
    <datalist id={id}>
      {options.map((option) => (
        <option key={option.value} value={option.value} label={option.label} />
      ))}
    </datalist>
  );
});
