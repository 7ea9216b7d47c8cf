import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RegionProgress } from '../../src-shared/events';
import { useAtlas, useAtlasEvent } from '../api/atlas-context';
import { QUOTAS_KEY } from './use-figures';

export interface QuotaRefreshProgress {
  scanId: string;
  completed: number;
  total: number;
  /** Regions still asked, named while they hold on. */
  waiting: string[];
  failed: string[];
}

/** What depends on quotas: brought up to date when a refresh ends (the capacity figures carry the quotas too). */
export const CAPACITY_KEY = ['capacity'] as const;

/**
 * Refresh quotas with per-region progress (`quotas.progress`, the catalog scan's shape), whoever started it, and
 * Cancel. When it ends every view of quotas and capacity asks again.
 */
export function useQuotaRefresh() {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<QuotaRefreshProgress | null>(null);

  useAtlasEvent('quotas.progress', (event: RegionProgress) =>
    setProgress((current) => {
      const base = current?.scanId === event.scanId ? current : { scanId: event.scanId, completed: 0, total: 0, waiting: [], failed: [] };
      return {
        ...base,
        completed: Math.max(base.completed, event.completed),
        total: event.total,
        waiting: event.waiting,
        failed: event.phase === 'failed' && !base.failed.includes(event.region) ? [...base.failed, event.region] : base.failed,
      };
    }),
  );

  const refresh = useMutation({
    mutationFn: () => api.refreshQuotas({}),
    onMutate: () => setProgress(null),
    onSettled: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: QUOTAS_KEY }), queryClient.invalidateQueries({ queryKey: CAPACITY_KEY })]),
  });
  const cancel = useMutation({ mutationFn: () => api.cancelQuotaRefresh({}) });
  return { refresh, cancel, progress, running: refresh.isPending };
}
