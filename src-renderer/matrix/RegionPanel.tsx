import { useMemo, useState } from 'react';
import type { CatalogDocument } from '../../src-shared/catalog/document';
import { regionGroupOf } from '../../src-shared/regions';
import { CELL_STYLE, cellState, isCallable, knownKind, type CellKind } from './cell-kind';
import { IdText } from './panel-parts';
import { RegionFailure, onPanelKey } from './CellPanel';
import './panels.css';
import { visibleText } from '../../src-shared/text/visible-text';

type SortKey = 'model' | 'provider' | 'how';
const HOW_ORDER: CellKind[] = ['on-demand', 'geo-profile', 'global-profile'];

interface RegionEntry {
  modelId: string;
  modelName: string;
  provider: string;
  how: CellKind;
  ids: string[];
}

/** Every model callable from one region, and how: what someone pinned to that region can use. */
export function regionEntries(document: CatalogDocument, region: string): { callable: RegionEntry[]; provisionedOnly: number; listedOnly: number } {
  const callable: RegionEntry[] = [];
  let provisionedOnly = 0;
  let listedOnly = 0;
  for (const model of Object.values(document.models)) {
    if (!model.regions[region]) continue;
    const { route } = cellState(document, model.modelId, region);
    const how = knownKind(document, model.modelId, region, route);
    if (how === 'provisioned-only') provisionedOnly++;
    else if (how === 'listed') listedOnly++;
    if (!isCallable(how)) continue;
    const ids = [...(route.onDemand ? [model.modelId] : []), ...route.geoProfiles, ...route.globalProfiles];
    callable.push({ modelId: model.modelId, modelName: model.modelName, provider: model.providerName, how, ids });
  }
  return { callable, provisionedOnly, listedOnly };
}

function compare(key: SortKey) {
  return (a: RegionEntry, b: RegionEntry) => {
    const byName = a.modelName.localeCompare(b.modelName) || a.modelId.localeCompare(b.modelId);
    if (key === 'provider') return a.provider.localeCompare(b.provider) || byName;
    if (key === 'how') return HOW_ORDER.indexOf(a.how) - HOW_ORDER.indexOf(b.how) || byName;
    return byName;
  };
}

export function RegionPanel({ document, region, onClose }: { document: CatalogDocument; region: string; onClose: () => void }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'how', descending: false });
  const entries = useMemo(() => regionEntries(document, region), [document, region]);
  const rows = useMemo(() => {
    const sorted = [...entries.callable].sort(compare(sort.key));
    return sort.descending ? sorted.reverse() : sorted;
  }, [entries, sort]);
  const header = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => setSort((current) => ({ key, descending: current.key === key ? !current.descending : false }))}>
        {label} {sort.key === key ? (sort.descending ? '▾' : '▴') : ''}
      </button>
    </th>
  );
  return (
    <aside className="side-panel region-panel" aria-label={`Region view: ${region}`} data-testid="region-panel" onKeyDown={onPanelKey(onClose)}>
      <header>
        <div>
          <h2>{region}</h2>
          <div className="muted">
            {regionGroupOf(region) ?? 'other'} · {entries.callable.length} models callable from here · {entries.provisionedOnly} provisioned only ·{' '}
            {entries.listedOnly} listed only
          </div>
        </div>
        <button type="button" className="link-button close" onClick={onClose} aria-label="Close region view (Escape)">
          ✕
        </button>
      </header>
      <RegionFailure document={document} region={region} />
      {rows.length === 0 ? (
        <p className="muted">No model is known to be callable from {region}.</p>
      ) : (
        <table className="dense region-table">
          <thead>
            <tr>
              {header('model', 'Model')}
              {header('provider', 'Provider')}
              {header('how', 'How')}
              <th>Ids to call</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => (
              <tr key={entry.modelId} data-model={entry.modelId}>
                <td>
                  <div>{visibleText(entry.modelName)}</div>
                  <IdText id={entry.modelId} />
                </td>
                <td>{visibleText(entry.provider)}</td>
                <td className={`how kind-${entry.how}`}>
                  <span className="cell-symbol">{CELL_STYLE[entry.how].symbol}</span> {CELL_STYLE[entry.how].short}
                </td>
                <td>
                  {entry.ids.map((id) => (
                    <div key={id}>
                      <IdText id={id} />
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
