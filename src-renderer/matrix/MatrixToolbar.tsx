import type { ReactNode, RefObject } from 'react';
import { REGION_GROUPS, type RegionGroup } from '../../src-shared/regions';
import type { MatrixFilters, MatrixSort, MatrixView } from './matrix-model';
import { visibleText } from '../../src-shared/text/visible-text';

const ACCESS_OPTIONS: { value: NonNullable<MatrixFilters['access']>; label: string }[] = [
  { value: 'on-demand', label: 'On demand' },
  { value: 'geo-profile', label: 'Geo profile' },
  { value: 'global-profile', label: 'Global profile' },
  { value: 'profile-only', label: 'Profile only (no on-demand)' },
  { value: 'provisioned', label: 'Provisioned' },
];

const SORTS: { value: MatrixSort; label: string }[] = [
  { value: 'provider', label: 'By provider' },
  { value: 'name', label: 'By name' },
  { value: 'regions', label: 'By regions' },
];

export interface Facets {
  providers: string[];
  modalities: string[];
  lifecycles: string[];
}

interface Props {
  searchBox: RefObject<HTMLInputElement | null>;
  search: string;
  onSearch: (text: string) => void;
  filters: MatrixFilters;
  onFilters: (patch: Partial<MatrixFilters>) => void;
  view: MatrixView;
  onView: (patch: Partial<MatrixView>) => void;
  facets: Facets;
  hiddenProvisionedOnly: number;
  legendOpen: boolean;
  onLegend: (open: boolean) => void;
  onExportCsv: () => void;
  onExportJson: () => void;
  /** Another page's control that acts on the matrix (the latency lab's TTFT overlay). */
  extra?: ReactNode;
}

/** One row of filters: search, facets, geography, sort, the provisioned-only switch, legend and exports. */
export function MatrixToolbar({ searchBox, ...props }: Props) {
  const { filters, onFilters, view, facets } = props;
  return (
    <div className="toolbar matrix-toolbar" role="search">
      <input
        ref={searchBox}
        type="search"
        placeholder="Search models"
        value={props.search}
        onChange={(event) => props.onSearch(event.target.value)}
        aria-label="Search models"
      />
      <select aria-label="Provider" value={filters.providers?.[0] ?? ''} onChange={(event) => onFilters({ providers: event.target.value ? [event.target.value] : undefined })}>
        <option value="">Providers</option>
        {facets.providers.map((provider) => (
          <option key={provider} value={provider}>
            {visibleText(provider)}
          </option>
        ))}
      </select>
      <select aria-label="Modality" value={filters.modality ?? ''} onChange={(event) => onFilters({ modality: event.target.value || undefined })}>
        <option value="">Modalities</option>
        {facets.modalities.map((modality) => (
          <option key={modality}>{modality}</option>
        ))}
      </select>
      <select
        aria-label="Streaming"
        value={filters.streaming === undefined ? '' : String(filters.streaming)}
        onChange={(event) => onFilters({ streaming: event.target.value === '' ? undefined : event.target.value === 'true' })}
      >
        <option value="">Streaming</option>
        <option value="true">Streams</option>
        <option value="false">No streaming</option>
      </select>
      <select aria-label="Lifecycle" value={filters.lifecycle ?? ''} onChange={(event) => onFilters({ lifecycle: event.target.value || undefined })}>
        <option value="">Lifecycles</option>
        {facets.lifecycles.map((lifecycle) => (
          <option key={lifecycle}>{lifecycle}</option>
        ))}
      </select>
      <select aria-label="Access type" value={filters.access ?? ''} onChange={(event) => onFilters({ access: (event.target.value || undefined) as MatrixFilters['access'] })}>
        <option value="">Access</option>
        {ACCESS_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <select
        aria-label="Geography"
        value={filters.regionGroup ?? ''}
        onChange={(event) => onFilters({ regionGroup: (event.target.value || undefined) as RegionGroup | undefined })}
      >
        <option value="">Geography</option>
        {Object.keys(REGION_GROUPS).map((group) => (
          <option key={group}>{group}</option>
        ))}
      </select>
      <select aria-label="Sort rows" value={view.sort} onChange={(event) => props.onView({ sort: event.target.value as MatrixSort })}>
        {SORTS.map((sort) => (
          <option key={sort.value} value={sort.value}>
            {sort.label}
          </option>
        ))}
      </select>
      <label className="toggle" title="Hides models that no region shown can call on demand or through a profile: provisioned throughput only, or only listed">
        <input type="checkbox" checked={view.hideProvisionedOnly} onChange={(event) => props.onView({ hideProvisionedOnly: event.target.checked })} />
        Hide provisioned-only
        {view.hideProvisionedOnly ? <span className="muted" data-testid="hidden-count">({props.hiddenProvisionedOnly} hidden)</span> : null}
      </label>
      <span className="spacer" />
      {props.extra}
      <button type="button" aria-expanded={props.legendOpen} aria-controls="matrix-legend" onClick={() => props.onLegend(!props.legendOpen)}>
        Legend {props.legendOpen ? '▴' : '▾'}
      </button>
      <button type="button" onClick={props.onExportCsv} aria-label="Export CSV" title="Export the filtered matrix as CSV">
        CSV
      </button>
      <button type="button" onClick={props.onExportJson} aria-label="Export JSON" title="Export the catalog document as JSON">
        JSON
      </button>
    </div>
  );
}
