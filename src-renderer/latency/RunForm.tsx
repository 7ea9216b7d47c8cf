import { useEffect, useId, useMemo, useRef } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { PROMPT_SIZES, type LatencyEstimate } from '../../src-shared/contract/latency';
import { inGeographicOrder, REGION_GROUPS, type RegionGroup } from '../../src-shared/regions';
import type { LoadEstimate } from '../../src-shared/contract/load';
import { isLoadEstimate, LoadEstimateLine } from '../load/LoadEstimate';
import { LoadFields } from '../load/LoadFields';
import type { LoadOptions } from '../load/load-options';
import { EstimatedCost } from './EstimatedCost';
import { fixFor } from './figures';
import type { LabMode } from './latency-work';
import { catalogRegions, describeTarget, offersOptimized, presetRegions, type RegionPreset, type RunOptions } from './run-options';

export interface RunFormProps {
  document: CatalogDocument;
  options: RunOptions;
  onChange(options: RunOptions): void;
  /** Latency: each route at one steady pace; load: level by level (the load fields replace runs and concurrency). */
  mode: LabMode;
  onMode(mode: LabMode): void;
  load: LoadOptions;
  onLoadChange(options: LoadOptions): void;
  estimate: { data: LatencyEstimate | LoadEstimate | null; error: string | null; pending: boolean };
  /** Why Start cannot be pressed yet (a field out of range), in words. */
  problem: string | null;
  running: boolean;
  onStart(): void;
  onCancel(): void;
}

const PROMPT_LABELS = { small: 'small (~30 tokens)', medium: 'medium (~500)', large: 'large (~2000)' } as const;

/** What is measured, target, regions, load and options; the estimate of what the run spends, then Start or Cancel. */
export function RunForm({ document, options, onChange, mode, onMode, load, onLoadChange, estimate, problem, running, onStart, onCancel }: RunFormProps) {
  const id = useId();
  // The regions are locked while a run goes on: the open list folds, so Progress and Cancel fit on the screen.
  const regionList = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (running && regionList.current) regionList.current.open = false;
  }, [running]);
  const set = (patch: Partial<RunOptions>) => onChange({ ...options, ...patch });
  const described = useMemo(() => describeTarget(document, options.target), [document, options.target]);
  const optimized = offersOptimized(document, options.target);
  const regions = useMemo(() => catalogRegions(document), [document]);
  const preset = (value: RegionPreset) => set({ regions: presetRegions(document, options.target, value) });
  const toggleRegion = (region: string) => set({ regions: options.regions.includes(region) ? options.regions.filter((name) => name !== region) : inGeographicOrder([...options.regions, region]) });
  const targets = useMemo(
    () => [
      ...Object.values(document.models)
        .filter((model) => model.outputModalities.includes('TEXT') && model.streaming !== false)
        .map((model) => ({ value: model.modelId, label: `${model.providerName} ${model.modelName}` })),
      ...Object.values(document.profiles).map((profile) => ({ value: profile.profileId, label: `${profile.name} (${profile.scope} profile)` })),
    ],
    [document],
  );

  return (
    <form
      className="lat-form"
      aria-label="Latency run"
      onSubmit={(event) => {
        event.preventDefault();
        if (!running) onStart();
      }}
    >
      <fieldset className="lat-mode" disabled={running}>
        <legend>Measure</legend>
        <label className="lat-check">
          <input type="radio" name="lab-mode" checked={mode === 'latency'} onChange={() => onMode('latency')} />
          Latency <span className="muted">(each route at one steady pace)</span>
        </label>
        <label className="lat-check">
          <input type="radio" name="lab-mode" checked={mode === 'load'} onChange={() => onMode('load')} />
          Load <span className="muted">(level by level: where latency grows, where throttling begins)</span>
        </label>
      </fieldset>

      <label className="lat-field lat-target">
        <span>Model or profile</span>
        <input list={`${id}-targets`} value={options.target} onChange={(event) => set({ target: event.target.value })} placeholder="Search by name or id" spellCheck={false} disabled={running} />
        <small className="muted" data-testid="target-described">
          {options.target.trim() ? (described?.label ?? 'No model or profile matches: pick one from the list.') : 'Type a name (claude 3 haiku), a model id or a profile id.'}
        </small>
      </label>
      <datalist id={`${id}-targets`}>
        {targets.map((option) => (
          <option key={option.value} value={option.value} label={option.label} />
        ))}
      </datalist>

      <fieldset className="lat-regions" disabled={running}>
        <legend>
          Regions <span className="muted">({options.regions.length} chosen)</span>
        </legend>
        <div className="lat-presets">
          <button type="button" onClick={() => preset('callable')}>
            Where it’s callable
          </button>
          <select aria-label="Regions of a geography" value="" onChange={(event) => event.target.value && preset(event.target.value as RegionGroup)}>
            <option value="">Geography…</option>
            {Object.keys(REGION_GROUPS).map((group) => (
              <option key={group} value={group}>
                {group}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => preset('all')}>
            All
          </button>
          <button type="button" onClick={() => set({ regions: [] })}>
            None
          </button>
        </div>
        <details className="lat-region-list" ref={regionList}>
          <summary>{options.regions.length > 0 ? options.regions.join(', ') : 'No region chosen'}</summary>
          <div className="lat-region-grid">
            {regions.map((region) => (
              <label key={region}>
                <input type="checkbox" checked={options.regions.includes(region)} onChange={() => toggleRegion(region)} />
                {region}
              </label>
            ))}
          </div>
        </details>
      </fieldset>

      {mode === 'load' ? <LoadFields options={load} onChange={onLoadChange} disabled={running} /> : null}
      <fieldset className="lat-load" disabled={running}>
        <legend>{mode === 'load' ? 'Prompt' : 'Load and prompt'}</legend>
        {mode === 'latency' ? (
          <>
            <label className="lat-field">
              <span>Runs per route</span>
              <input type="number" min={1} max={1000} value={options.runs} onChange={(event) => set({ runs: event.target.valueAsNumber })} />
            </label>
            <label className="lat-field">
              <span>Concurrency</span>
              <input type="number" min={1} max={32} value={options.concurrency} onChange={(event) => set({ concurrency: event.target.valueAsNumber })} />
            </label>
          </>
        ) : null}
        <label className="lat-field">
          <span>Max tokens</span>
          <input type="number" min={1} max={4096} value={options.maxTokens} onChange={(event) => set({ maxTokens: event.target.valueAsNumber })} />
        </label>
        <label className="lat-field">
          <span>Prompt size</span>
          <select value={options.promptSize} onChange={(event) => set({ promptSize: event.target.value as RunOptions['promptSize'] })}>
            {PROMPT_SIZES.map((size) => (
              <option key={size} value={size}>
                {estimate.data?.prompt.size === size ? `${size} (${estimate.data.prompt.inputTokens} tokens)` : PROMPT_LABELS[size]}
              </option>
            ))}
          </select>
        </label>
        <label className="lat-field">
          <span>Latency mode</span>
          <select value={options.latency} onChange={(event) => set({ latency: event.target.value as RunOptions['latency'] })}>
            <option value="standard">standard</option>
            <option value="optimized" disabled={!optimized}>
              optimized{optimized ? '' : ' (not offered by this model)'}
            </option>
          </select>
        </label>
        <label className="lat-check">
          <input type="checkbox" checked={options.autoProfile} onChange={(event) => set({ autoProfile: event.target.checked })} />
          Auto-profile <span className="muted">(a region that serves the model only through profiles uses the best one)</span>
        </label>
        {mode === 'latency' ? (
          <label className="lat-check">
            <input type="checkbox" checked={options.compareRoutes} onChange={(event) => set({ compareRoutes: event.target.checked })} />
            Compare routes <span className="muted">(direct and every profile of each region, side by side)</span>
          </label>
        ) : null}
      </fieldset>

      <Estimate estimate={estimate} options={options} onFix={(fix) => (fix === 'auto-profile' ? set({ autoProfile: true }) : preset('callable'))} />
      {problem ? (
        <p className="lat-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="lat-actions">
        {running ? (
          // Keys keep the two buttons apart: a reused node that turned into the submit button mid-click would start a new run.
          <button key="cancel" type="button" className="lat-cancel" onClick={onCancel}>
            Cancel
          </button>
        ) : (
          <button key="start" type="submit" className="primary" disabled={problem !== null || estimate.pending || estimate.error !== null || !estimate.data || estimate.data.requests === 0}>
            Start
          </button>
        )}
      </div>
    </form>
  );
}

/** What a latency run sends: its requests per route, tokens and dollars. */
function LatencyEstimateLine({ estimate, runs }: { estimate: LatencyEstimate; runs: number }) {
  return (
    <p>
      <strong>{estimate.requests}</strong> requests ({Object.keys(estimate.routes).length} routes × {runs}) + {estimate.warmupRequests} warm-up · about <strong>{estimate.inputTokens.toLocaleString()}</strong> input and up to{' '}
      <strong>{estimate.outputTokens.toLocaleString()}</strong> output tokens · prompt {estimate.prompt.inputTokens} tokens ({estimate.prompt.countedBy === 'CountTokens' ? 'counted by Bedrock' : 'estimated'})
      {' · '}
      <EstimatedCost estimate={estimate} />
      {estimate.simulated ? <span className="lat-badge">simulated: no cost</span> : null}
    </p>
  );
}

function Estimate({ estimate, options, onFix }: { estimate: RunFormProps['estimate']; options: RunOptions; onFix(fix: 'auto-profile' | 'callable-regions'): void }) {
  if (estimate.error) {
    return (
      <p className="lat-error" role="alert" data-testid="estimate">
        {estimate.error}
      </p>
    );
  }
  const data = estimate.data;
  if (!data) return <p className="muted" data-testid="estimate">{estimate.pending ? 'Estimating…' : 'Choose a target and regions to see what the run will send.'}</p>;
  const unavailable = Object.entries(data.unavailable);
  return (
    <div className="lat-estimate" data-testid="estimate" aria-live="polite">
      {isLoadEstimate(data) ? <LoadEstimateLine estimate={data} /> : <LatencyEstimateLine estimate={data} runs={options.runs} />}
      {unavailable.length > 0 ? (
        <ul className="lat-unavailable" aria-label="Regions that cannot be measured">
          {unavailable.map(([region, failure]) => {
            const fix = fixFor(failure.code);
            return (
              <li key={region}>
                <strong>{region}</strong>: {failure.message}
                {fix ? (
                  <button type="button" className="link-button" onClick={() => onFix(fix)}>
                    {fix === 'auto-profile' ? 'Turn on auto-profile' : 'Use the regions where it’s callable'}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
