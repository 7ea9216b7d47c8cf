import { useId, useMemo, useState } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { inGeographicOrder } from '../../src-shared/regions';
import { useCatalog } from '../catalog/use-catalog';
import { callableRegions, describeTarget, scannedRegions } from '../latency/run-options';
import { CalculatorSection } from './CalculatorSection';
import { DEFAULT_WORKLOAD, type WorkloadForm } from './calculator-form';
import { capacityLinkTarget } from './capacity-link';
import { QuotasSection } from './QuotasSection';
import { UsageSection } from './UsageSection';
import './capacity.css';

export function CapacityPage() {
  const catalog = useCatalog();
  if (catalog.error) {
    return (
      <section className="empty-state">
        <h1>Capacity</h1>
        <p className="cap-error">The catalog is not available, so there is no model to size: {(catalog.error as Error).message}</p>
      </section>
    );
  }
  if (!catalog.data) {
    return (
      <section className="empty-state" aria-busy="true">
        <h1>Capacity</h1>
        <p>Loading the catalog…</p>
      </section>
    );
  }
  return <Capacity document={catalog.data.document} />;
}

const PREFERRED_TARGETS = ['anthropic.claude-3-haiku-20240307-v1:0', 'amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0'];

/** What the page opens on: the model and region a link names (the cell panel's), else a common model from us-east-1. */
function initialChoice(document: CatalogDocument): { target: string; from: string } {
  const linked = capacityLinkTarget(window.location.hash);
  const target = (linked.model && describeTarget(document, linked.model) ? linked.model : null) ?? PREFERRED_TARGETS.find((id) => Object.hasOwn(document.models, id)) ?? Object.keys(document.models)[0] ?? '';
  const callable = callableRegions(document, target);
  const from = linked.from && Object.hasOwn(document.regions, linked.from) ? linked.from : callable.includes('us-east-1') ? 'us-east-1' : (callable[0] ?? 'us-east-1');
  return { target, from };
}

function Capacity({ document }: { document: CatalogDocument }) {
  const id = useId();
  const [choice, setChoice] = useState(() => initialChoice(document));
  const [workload, setWorkload] = useState<WorkloadForm>(DEFAULT_WORKLOAD);
  const described = useMemo(() => describeTarget(document, choice.target), [document, choice.target]);
  const callable = useMemo(() => callableRegions(document, choice.target), [document, choice.target]);
  // Every scanned region can be chosen; where the target can be called from comes first.
  const regions = useMemo(() => [...callable, ...inGeographicOrder(scannedRegions(document).filter((region) => !callable.includes(region)))], [document, callable]);
  const targets = useMemo(
    () => [
      ...Object.values(document.models).map((model) => ({ value: model.modelId, label: `${model.providerName} ${model.modelName}` })),
      ...Object.values(document.profiles).map((profile) => ({ value: profile.profileId, label: `${profile.name} (${profile.scope} profile)` })),
    ],
    [document],
  );
  const modelId = described?.modelId ?? null;

  return (
    <div className="cap-page">
      <header className="cap-page-header">
        <h1>Capacity</h1>
        <p className="muted">Will it carry my load, and what will it cost? Quotas, usage and the routes from one region, side by side.</p>
      </header>
      <form className="cap-choice" aria-label="Model and source region" onSubmit={(event) => event.preventDefault()}>
        <label className="cap-field cap-target" htmlFor={`${id}-target`}>
          <span>Model or profile</span>
          <input id={`${id}-target`} list={`${id}-targets`} value={choice.target} onChange={(event) => setChoice({ ...choice, target: event.target.value })} placeholder="Search by name or id" spellCheck={false} />
        </label>
        <datalist id={`${id}-targets`}>
          {targets.map((option) => (
            <option key={option.value} value={option.value} label={option.label} />
          ))}
        </datalist>
        <label className="cap-field" htmlFor={`${id}-from`}>
          <span>Source region</span>
          <select id={`${id}-from`} value={choice.from} onChange={(event) => setChoice({ ...choice, from: event.target.value })}>
            {regions.map((region) => (
              <option key={region} value={region}>
                {region}
                {callable.includes(region) ? '' : ' (not callable)'}
              </option>
            ))}
          </select>
        </label>
        <small className="muted cap-described" data-testid="capacity-target">
          {choice.target.trim() ? (described?.label ?? 'No model or profile matches: pick one from the list.') : 'Type a name (claude 3 haiku), a model id or a profile id.'}
          {described && !callable.includes(choice.from) ? ` It is not callable from ${choice.from}.` : ''}
        </small>
      </form>
      {modelId && described ? (
        <>
          <QuotasSection document={document} modelId={modelId} from={choice.from} />
          <UsageSection target={modelId} from={choice.from} />
          <CalculatorSection target={modelId} from={choice.from} form={workload} onForm={setWorkload} />
        </>
      ) : null}
    </div>
  );
}
