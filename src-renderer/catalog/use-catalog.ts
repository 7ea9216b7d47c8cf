import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CatalogSnapshot } from '../../src-shared/contract';
import type { RegionProgress } from '../../src-shared/events';
import { useAtlas, useAtlasEvent } from '../api/atlas-context';

export const CATALOG_KEY = ['catalog'] as const;

export function useCatalog() {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  useAtlasEvent('catalog.updated', (snapshot) => queryClient.setQueryData<CatalogSnapshot>(CATALOG_KEY, snapshot));
  return useQuery({ queryKey: CATALOG_KEY, queryFn: () => api.getCatalog() });
}

export function useAppInfo() {
  const { api } = useAtlas();
  return useQuery({ queryKey: ['appInfo'], queryFn: () => api.getAppInfo(), refetchInterval: 30_000, staleTime: 0 });
}

export interface ScanState {
  scanId: string | null;
  running: boolean;
  regions: Record<string, RegionProgress>;
  completed: number;
  total: number;
  cancelled: boolean;
}

const IDLE: ScanState = { scanId: null, running: false, regions: {}, completed: 0, total: 0, cancelled: false };

/** Refresh with per-region progress, whoever started it (this window, the app menu or another tab). */
export function useRefresh() {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  const [scan, setScan] = useState<ScanState>(IDLE);

  useAtlasEvent('catalog.progress', (progress) =>
    setScan((current) => {
      const base = current.scanId === progress.scanId ? current : { ...IDLE, scanId: progress.scanId };
      return {
        ...base,
        running: true,
        regions: { ...base.regions, [progress.region]: progress },
        completed: progress.completed,
        total: progress.total,
      };
    }),
  );
  useAtlasEvent('catalog.scanFinished', (finished) =>
    setScan((current) => ({ ...current, scanId: finished.scanId, running: false, cancelled: finished.cancelled })),
  );

  const refresh = useMutation({
    mutationFn: () => api.refreshCatalog({}),
    onSuccess: (snapshot) => queryClient.setQueryData(CATALOG_KEY, snapshot),
  });
  const cancel = useMutation({ mutationFn: () => api.cancelRefresh({}) });
  return { scan, refresh, cancel };
}
