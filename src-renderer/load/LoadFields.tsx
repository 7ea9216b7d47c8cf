import { useId } from 'react';
import { SLO_PRESET_VALUES, type ArrivalProcess, type LoadMode } from '../../src-shared/contract/load';
import { sloBounds } from './load-figures';
import { withMode, type LoadOptions, type SloChoice, type StepBy } from './load-options';

/**
 * The Load mode's own fields in the run form: the loop and its levels, how long a level lasts, the SLO that goodput
 * counts against, unique prompts and the budget. Every one is a native control, so the keyboard reaches all.
 */

const LEVEL_HINTS: Record<LoadMode, string> = {
  concurrency: 'requests in flight, increasing: 1,2,4,8',
  rate: 'requests per second, increasing: 0.5,1,2,4',
};

const SLO_LABELS: Record<SloChoice, string> = {
  chat: 'chat',
  'mlperf-interactive': 'MLPerf interactive',
  custom: 'custom',
  none: 'none (no goodput)',
};

export function LoadFields({ options, onChange, disabled }: { options: LoadOptions; onChange(options: LoadOptions): void; disabled: boolean }) {
  const id = useId();
  const set = (patch: Partial<LoadOptions>) => onChange({ ...options, ...patch });
  const timed = options.mode === 'rate' || options.stepBy === 'duration';
  const preset = options.slo === 'chat' || options.slo === 'mlperf-interactive' ? SLO_PRESET_VALUES[options.slo] : null;
  return (
    <fieldset className="lat-load load-fields" disabled={disabled}>
      <legend>Load levels</legend>
      <div className="load-loop" role="radiogroup" aria-label="Loop">
        <label className="lat-check">
          <input type="radio" name="load-loop" checked={options.mode === 'concurrency'} onChange={() => onChange(withMode(options, 'concurrency'))} />
          Closed loop <span className="muted">(N requests in flight)</span>
        </label>
        <label className="lat-check">
          <input type="radio" name="load-loop" checked={options.mode === 'rate'} onChange={() => onChange(withMode(options, 'rate'))} />
          Open loop <span className="muted">(requests per second, whatever answers)</span>
        </label>
      </div>
      <div className="lat-field load-levels-field">
        <label htmlFor={`${id}-levels`}>{options.mode === 'concurrency' ? 'Concurrency levels' : 'Rate levels (req/s)'}</label>
        <input id={`${id}-levels`} value={options.levels} onChange={(event) => set({ levels: event.target.value })} spellCheck={false} aria-describedby={`${id}-levels-hint`} />
        <small className="muted" id={`${id}-levels-hint`}>
          {LEVEL_HINTS[options.mode]}
        </small>
      </div>
      {options.mode === 'rate' ? (
        <label className="lat-field">
          <span>Arrivals</span>
          <select value={options.arrivals} onChange={(event) => set({ arrivals: event.target.value as ArrivalProcess })}>
            <option value="poisson">Poisson (as real traffic)</option>
            <option value="constant">constant (evenly spaced)</option>
          </select>
        </label>
      ) : (
        <label className="lat-field">
          <span>Each level lasts</span>
          <select value={options.stepBy} onChange={(event) => set({ stepBy: event.target.value as StepBy })}>
            <option value="duration">a duration</option>
            <option value="requests">a number of requests</option>
          </select>
        </label>
      )}
      {timed ? (
        <label className="lat-field">
          <span>Seconds per level</span>
          <input type="number" min={0.1} max={3600} step="any" value={Number.isNaN(options.stepSeconds) ? '' : options.stepSeconds} onChange={(event) => set({ stepSeconds: event.target.valueAsNumber })} />
        </label>
      ) : (
        <label className="lat-field">
          <span>Requests per level</span>
          <input type="number" min={1} max={100000} value={Number.isNaN(options.stepRequests) ? '' : options.stepRequests} onChange={(event) => set({ stepRequests: event.target.valueAsNumber })} />
        </label>
      )}
      <label className="lat-field">
        <span>SLO (goodput)</span>
        <select value={options.slo} onChange={(event) => set({ slo: event.target.value as SloChoice })}>
          {(Object.keys(SLO_LABELS) as SloChoice[]).map((choice) => (
            <option key={choice} value={choice}>
              {SLO_LABELS[choice]}
            </option>
          ))}
        </select>
      </label>
      {preset ? (
        <p className="load-slo-preset muted" data-testid="slo-preset" title={preset.source}>
          {sloBounds(preset)}: goodput counts the requests per second that meet every bound.
        </p>
      ) : null}
      {options.slo === 'custom' ? (
        <div className="load-slo-custom" role="group" aria-label="Custom SLO">
          <NumberField label="TTFT ≤ ms" value={options.sloTtftMs} onChange={(sloTtftMs) => set({ sloTtftMs })} />
          <NumberField label="ITL ≤ ms" value={options.sloInterTokenMs} onChange={(sloInterTokenMs) => set({ sloInterTokenMs })} />
          <NumberField label="E2E ≤ ms" value={options.sloE2eMs} onChange={(sloE2eMs) => set({ sloE2eMs })} />
          <NumberField label="at percentile" value={options.sloPercentile} onChange={(sloPercentile) => set({ sloPercentile })} min={50} max={99.9} step="any" />
          <small className="muted">An empty bound is no bound; at least one is needed.</small>
        </div>
      ) : null}
      <label className="lat-check">
        <input type="checkbox" checked={options.uniquePrompts} onChange={(event) => set({ uniquePrompts: event.target.checked })} />
        Unique prompts <span className="muted">(a nonce before each, so the prompt cache never flatters TTFT)</span>
      </label>
      <NumberField label="Max requests (budget)" value={options.maxRequests} onChange={(maxRequests) => set({ maxRequests })} min={1} placeholder="no limit" />
      <NumberField label="Max cost $ (budget)" value={options.maxCostUsd} onChange={(maxCostUsd) => set({ maxCostUsd })} min={0} step="any" placeholder="no limit" />
    </fieldset>
  );
}

function NumberField({ label, value, onChange, min, max, step, placeholder }: { label: string; value: number; onChange(value: number): void; min?: number; max?: number; step?: string; placeholder?: string }) {
  return (
    <label className="lat-field">
      <span>{label}</span>
      <input type="number" min={min} max={max} step={step} placeholder={placeholder} value={Number.isNaN(value) ? '' : value} onChange={(event) => onChange(event.target.valueAsNumber)} />
    </label>
  );
}
