import { useDeferredValue, useMemo, useState } from 'react';
import type { CatalogProfile } from '../../src-shared/catalog/document';
import { useCatalog } from '../catalog/use-catalog';
import { ErrorNotice } from '../app/ErrorNotice';

/** Source regions that route to the same destinations, folded into one line. */
export function routeGroups(profile: CatalogProfile): { sources: string[]; destinations: string[] }[] {
  const groups = new Map<string, { sources: string[]; destinations: string[] }>();
  for (const [source, destinations] of Object.entries(profile.routes).sort(([a], [b]) => a.localeCompare(b))) {
    const key = [...destinations].sort().join(',');
    const group = groups.get(key) ?? { sources: [], destinations: [...destinations].sort() };
    group.sources.push(source);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function ProfilesPage() {
  const catalog = useCatalog();
  const [search, setSearch] = useState('');
  const [scope, setScope] = useState('');
  const deferredSearch = useDeferredValue(search.trim().toLowerCase());
  const document = catalog.data?.document;

  const profiles = useMemo(() => {
    if (!document) return [];
    return Object.values(document.profiles)
      .filter((profile) => !scope || profile.scope === scope)
      .filter((profile) => !deferredSearch || `${profile.profileId} ${profile.name} ${profile.modelId}`.toLowerCase().includes(deferredSearch))
      .sort((a, b) => a.scope.localeCompare(b.scope) || a.profileId.localeCompare(b.profileId));
  }, [document, scope, deferredSearch]);
  const scopes = useMemo(() => [...new Set(Object.values(document?.profiles ?? {}).map((profile) => profile.scope))].sort(), [document]);

  if (catalog.isError) return <ErrorNotice error={catalog.error} />;
  if (!document) return <div className="loading">Loading…</div>;

  return (
    <div className="profiles-page">
      <div className="toolbar">
        <input type="search" placeholder="Search profiles by id, name or model" value={search} onChange={(event) => setSearch(event.target.value)} aria-label="Search profiles" />
        <select value={scope} onChange={(event) => setScope(event.target.value)} aria-label="Scope">
          <option value="">All scopes</option>
          {scopes.map((candidate) => (
            <option key={candidate}>{candidate}</option>
          ))}
        </select>
        <span className="muted">{profiles.length} inference profiles</span>
      </div>
      <div className="table-scroller">
        <table className="dense profiles-table" data-testid="profiles-table">
          <thead>
            <tr>
              <th>Profile id</th>
              <th>Scope</th>
              <th>Model</th>
              <th>Routing: source regions → destinations</th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((profile) => (
              <tr key={profile.profileId}>
                <td>
                  <code>{profile.profileId}</code>
                  <div className="muted">{profile.name}</div>
                </td>
                <td>
                  <span className={`scope scope-${profile.global ? 'global' : 'geo'}`}>{profile.scope}</span>
                </td>
                <td>{document.models[profile.modelId]?.modelName ?? profile.modelId}</td>
                <td>
                  {profile.global ? (
                    <div>
                      <strong>from</strong> {Object.keys(profile.routes).sort().join(', ')} <strong>→</strong> any supported commercial region
                    </div>
                  ) : (
                    routeGroups(profile).map((group) => (
                      <div key={group.sources.join()} className="route-line">
                        <span>{group.sources.join(', ')}</span> <strong>→</strong> <span>{group.destinations.join(', ')}</span>
                      </div>
                    ))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
