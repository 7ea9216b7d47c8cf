import { useCallback, useMemo, useState } from 'react';
import { useAppInfo, useCatalog, type useRefresh } from '../catalog/use-catalog';
import { discoveryFailure } from './discovery-failure';

export type Refresh = ReturnType<typeof useRefresh>;

/** What the status bar and the failure banner share: the catalog, the current failure, and the Regions popover. */
export function useDiscoveryStatus(refresh: Refresh) {
  const catalog = useCatalog();
  const appInfo = useAppInfo();
  const [regionsOpen, setRegionsOpen] = useState(false);
  const endpointUrl = appInfo.data?.endpointUrl ?? null;
  const awsProfile = appInfo.data?.awsProfile ?? null;
  const failure = useMemo(
    () => discoveryFailure(catalog.data, refresh.scan, { endpointUrl, awsProfile }),
    [catalog.data, refresh.scan, endpointUrl, awsProfile],
  );
  const closeRegions = useCallback(() => setRegionsOpen(false), []);
  return { catalog, appInfo, failure, regionsOpen, setRegionsOpen, closeRegions };
}

export type DiscoveryStatus = ReturnType<typeof useDiscoveryStatus>;
