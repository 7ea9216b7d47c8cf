import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { useAtlas } from '../api/atlas-context';
import { observedByProfile } from '../attribution/attribution-figures';
import { useCatalog } from '../catalog/use-catalog';
import { ErrorNotice } from '../app/ErrorNotice';
import { ProfileCard } from './ProfileCard';
import { byGeography, PROFILE_SORTS, visibleProfiles, type ProfileFilters, type ProfileSort } from './profile-model';
import './profiles.css';

/**
 * Every inference profile with its routing as a small grid, answering "from my region, where may my request be
 * served?". Pick a region to keep only the profiles callable from it and to read their answer in one line.
 */
/** `#/profiles?from=eu-west-3`: the region filter lives in the address, so it can be linked to and survives a reload. */
function fromInHash(): string {
  return new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('from') ?? '';
}

function writeFromToHash(region: string) {
  const query = region ? `?from=${encodeURIComponent(region)}` : '';
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/profiles${query}`);
}

/** Attribution's observations reach back this many days. */
const OBSERVED_DAYS = 30;

export function ProfilesPage() {
  const catalog = useCatalog();
  const { api } = useAtlas();
  // Where requests were really served, from attribution: the page stands without it (history off, nothing measured).
  const observed = useQuery({ queryKey: ['observedRouting', OBSERVED_DAYS], queryFn: () => api.observedRouting({ days: OBSERVED_DAYS }) });
  const observedBy = useMemo(() => observedByProfile(observed.data?.routing ?? []), [observed.data]);
  const [filters, setFilters] = useState<ProfileFilters>(() => ({ search: '', scope: '', callableFrom: fromInHash(), sort: 'scope' }));
  const deferred = useDeferredValue(filters);
  const document = catalog.data?.document;

  const profiles = useMemo(() => (document ? visibleProfiles(document, deferred) : []), [document, deferred]);
  const scopes = useMemo(() => [...new Set(Object.values(document?.profiles ?? {}).map((profile) => profile.scope))].sort(), [document]);
  const sourceRegions = useMemo(
    () => [...new Set(Object.values(document?.profiles ?? {}).flatMap((profile) => Object.keys(profile.routes)))].sort(byGeography),
    [document],
  );

  if (catalog.isError) return <ErrorNotice error={catalog.error} />;
  if (!document) return <div className="loading">Loading…</div>;
  const update = (patch: Partial<ProfileFilters>) => setFilters((current) => ({ ...current, ...patch }));

  return (
    <div className="profiles-page">
      <h1 className="visually-hidden">Inference profiles</h1>
      <div className="toolbar profiles-toolbar">
        <input
          type="search"
          placeholder="Search by profile, model id or name"
          value={filters.search}
          onChange={(event) => update({ search: event.target.value })}
          aria-label="Search profiles"
        />
        <select
          value={filters.callableFrom}
          onChange={(event) => {
            update({ callableFrom: event.target.value });
            writeFromToHash(event.target.value);
          }}
          aria-label="Callable from region"
        >
          <option value="">Callable from any region</option>
          {sourceRegions.map((region) => (
            <option key={region} value={region}>
              Callable from {region}
            </option>
          ))}
        </select>
        <select value={filters.scope} onChange={(event) => update({ scope: event.target.value })} aria-label="Scope">
          <option value="">All scopes</option>
          {scopes.map((scope) => (
            <option key={scope} value={scope}>
              {scope === 'global' ? 'global (any commercial region)' : `${scope} (geo)`}
            </option>
          ))}
        </select>
        <select value={filters.sort} onChange={(event) => update({ sort: event.target.value as ProfileSort })} aria-label="Sort profiles">
          {PROFILE_SORTS.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </select>
        <span className="muted" data-testid="profile-count" role="status">
          {profiles.length} of {Object.keys(document.profiles).length} inference profiles
        </span>
        <span className="profiles-legend muted">
          <span className="scope scope-geo">geo</span> stays in its geography · <span className="scope scope-global">global</span> any commercial
          region · <span className="legend-dot">●</span> may be served there
        </span>
        <span className="muted" data-testid="observed-status">
          {observed.error
            ? `Observed routing unavailable: ${(observed.error as Error).message}`
            : observed.data
              ? observed.data.routing.length > 0
                ? `Observed routing: ${observedBy.size} profile${observedBy.size === 1 ? '' : 's'} measured in the last ${OBSERVED_DAYS} days (% of attributed requests)`
                : `No observed routing in the last ${OBSERVED_DAYS} days: a latency run through a profile, once attributed, shows where its requests ran.`
              : null}
        </span>
      </div>
      <div className="profile-list" data-testid="profile-list">
        {profiles.length === 0 ? (
          <p className="empty-state">No inference profile matches. Clear the search or pick another region or scope.</p>
        ) : (
          profiles.map((profile) => <ProfileCard key={profile.profileId} document={document} profile={profile} from={deferred.callableFrom} observed={observedBy.get(profile.profileId)} />)
        )}
      </div>
    </div>
  );
}
