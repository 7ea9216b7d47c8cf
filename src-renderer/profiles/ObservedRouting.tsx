import type { ObservedRouting } from '../../src-shared/contract/attribution';

/**
 * Where a profile's requests were really served, beside where it may be: per source region measured, the share of
 * attributed requests each destination served, as a bar split by share with the figures written out. A destination the
 * catalog does not declare for that source is marked.
 */
export function ObservedRoutingBlock({ observed, from }: { observed: ObservedRouting[]; from: string }) {
  const shown = from ? observed.filter((entry) => entry.sourceRegion === from) : observed;
  if (shown.length === 0) return null;
  return (
    <div className="observed-routing" data-testid="observed-routing">
      <div className="observed-title">Observed (CloudTrail, your runs and answers):</div>
      <ul>
        {shown.map((entry) => {
          const served = entry.destinations.filter((destination) => destination.requests > 0);
          const unused = entry.destinations.filter((destination) => destination.requests === 0 && destination.declared);
          return (
            <li key={entry.sourceRegion} data-source={entry.sourceRegion}>
              <span className="observed-source">
                from <span className="region-id">{entry.sourceRegion}</span> <span className="muted">({entry.requests} requests, last {new Date(entry.lastObservedAt).toLocaleDateString()})</span>
              </span>
              <span className="observed-bar" aria-hidden>
                {served.map((destination, index) => (
                  <span key={destination.region} className={`observed-part observed-part-${index % 4}${destination.declared ? '' : ' observed-undeclared'}`} style={{ flexGrow: destination.sharePercent }} title={`${destination.region}: ${destination.sharePercent} %`} />
                ))}
              </span>
              <span className="observed-shares">
                {served.map((destination, index) => (
                  <span key={destination.region} className={destination.declared ? undefined : 'lat-warn-text'}>
                    <span className={`observed-key observed-part-${index % 4}`} aria-hidden />
                    <span className="region-id">{destination.region}</span> {destination.sharePercent} %{destination.declared ? '' : ' ⚠ not declared'}
                  </span>
                ))}
                {unused.length > 0 ? <span className="muted">none seen in {unused.map((destination) => destination.region).join(', ')}</span> : null}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
