import { memo } from 'react';
import type { ObservedRouting } from '../../src-shared/contract/attribution';
import type { CatalogDocument, CatalogProfile } from '../../src-shared/catalog/document';
import { modelById } from '../../src-shared/catalog/queries';
import { CopyButton, IdText } from '../matrix/panel-parts';
import { ObservedRoutingBlock } from './ObservedRouting';
import { routingGrid, servedFrom, type RoutingGrid } from './profile-model';
import { visibleText } from '../../src-shared/text/visible-text';

/** The share (percent) of a source's attributed requests each destination served, where observed. */
type ObservedShares = Map<string, Map<string, number>>;

function sharesOf(observed: ObservedRouting[]): ObservedShares {
  return new Map(observed.map((entry) => [entry.sourceRegion, new Map(entry.destinations.filter((destination) => destination.requests > 0).map((destination) => [destination.region, destination.sharePercent]))]));
}

/**
 * Sources × destinations: a dot where a request sent from that row's region may be served in that column's; where
 * attribution saw requests served, the percent of them instead (a cell outside the declared ones is marked apart).
 */
function RoutingTable({ profile, grid, from, shares }: { profile: CatalogProfile; grid: RoutingGrid; from: string; shares: ObservedShares }) {
  return (
    <table className="routing-grid" data-testid="routing-grid">
      <caption className="visually-hidden">
        Routing of {visibleText(profile.profileId)}: rows are the regions you call from, columns the regions that may serve the request.
      </caption>
      <thead>
        <tr>
          <th scope="col" className="corner">
            <span>from ↓</span>
            <span>served in →</span>
          </th>
          {grid.destinations.map((destination) => (
            <th key={destination} scope="col" className="destination">
              <span>{destination}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {grid.sources.map((source) => (
          <tr key={source} className={source === from ? 'from-here' : undefined} data-source={source}>
            <th scope="row" className="source-region">
              {source}
            </th>
            {grid.destinations.map((destination) => {
              const served = grid.serves(source, destination);
              const share = shares.get(source)?.get(destination);
              const observed = share === undefined ? '' : `; observed ${share} % of requests`;
              return (
                <td key={destination} className={served ? 'served' : share !== undefined ? 'observed-only' : undefined} title={`${source} → ${destination}: ${served ? 'may be served here' : 'not declared'}${observed}`}>
                  {share !== undefined ? (
                    <span className="observed-share" data-testid="observed-share" aria-hidden>
                      {Math.round(share)}
                    </span>
                  ) : (
                    <span aria-hidden>{served ? '●' : ''}</span>
                  )}
                  <span className="visually-hidden">{served ? 'yes' : 'no'}{observed}</span>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A global profile has no fixed destinations: its sources, and "anywhere". */
function GlobalRouting({ grid, from }: { grid: RoutingGrid; from: string }) {
  return (
    <div className="global-routing" data-testid="routing-global">
      <div className="muted">from any of these {grid.sources.length} regions:</div>
      <ul className="region-chips">
        {grid.sources.map((source) => (
          <li key={source} className={source === from ? 'from-here' : undefined}>
            {source}
          </li>
        ))}
      </ul>
      <div>
        <span aria-hidden>→ </span>served in <strong>any supported commercial region</strong> (data can leave your geography)
      </div>
    </div>
  );
}

/** One line answering "from my region, where may my request be served?"; region names never break. */
function ServedFromLine({ grid, from }: { grid: RoutingGrid; from: string }) {
  const answer = servedFrom(grid, from);
  const region = (name: string) => <span className="region-id">{name}</span>;
  return (
    <p className="served-from" data-testid="served-from">
      {answer.kind === 'not-callable' ? (
        <>Not callable from {region(from)}.</>
      ) : (
        <>
          From {region(from)}: served in{' '}
          {answer.kind === 'anywhere' ? (
            <>any supported commercial region (data can leave your geography).</>
          ) : (
            answer.regions.map((name, index) => (
              <span key={name}>
                {region(name)}
                {index < answer.regions.length - 1 ? ', ' : '.'}
              </span>
            ))
          )}
        </>
      )}
    </p>
  );
}

const NOTHING_OBSERVED: ObservedRouting[] = [];

export const ProfileCard = memo(function ProfileCard({ document, profile, from, observed = NOTHING_OBSERVED }: { document: CatalogDocument; profile: CatalogProfile; from: string; observed?: ObservedRouting[] }) {
  const grid = routingGrid(document, profile);
  const model = modelById(document, profile.modelId);
  const family = grid.global ? 'global' : 'geo';
  return (
    <article className={`profile-card profile-${family}`} data-testid="profile-card" data-profile={profile.profileId} aria-labelledby={`profile-${profile.profileId}`}>
      <header className="profile-card-header">
        <span className={`scope scope-${family}`} title={grid.global ? 'Global profile: any supported commercial region' : `Geo profile: stays within ${profile.scope.toUpperCase()}`}>
          {visibleText(profile.scope)}
        </span>
        <div className="profile-ids">
          <div className="id-line" id={`profile-${profile.profileId}`}>
            <span className="id-with-copy">
              <IdText id={profile.profileId} testId="profile-id" />
              <CopyButton text={profile.profileId} />
            </span>
          </div>
          <div className="id-line model-line">
            <span className="profile-model-name">{model ? visibleText(model.modelName) : 'Model not in this catalog'}</span>
            <span className="id-with-copy">
              <IdText id={profile.modelId} />
              <CopyButton text={profile.modelId} />
            </span>
            <a className="matrix-link" href={`#/matrix?model=${encodeURIComponent(profile.modelId)}`} title={`Show ${profile.modelId} in the matrix`}>
              matrix row →
            </a>
          </div>
        </div>
        <span className="source-count" title="Regions this profile can be called from">
          {grid.sources.length} source{grid.sources.length === 1 ? '' : 's'}
        </span>
      </header>
      {from ? <ServedFromLine grid={grid} from={from} /> : null}
      {grid.global ? <GlobalRouting grid={grid} from={from} /> : <RoutingTable profile={profile} grid={grid} from={from} shares={sharesOf(observed)} />}
      <ObservedRoutingBlock observed={observed} from={from} />
    </article>
  );
});
