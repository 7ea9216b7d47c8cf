import { useQuery } from '@tanstack/react-query';
import { useAtlas } from '../api/atlas-context';

/**
 * The queries behind quotas and prices, keyed under one prefix each, so that a quota refresh (or a fresh price
 * table) brings every view up to date by invalidating the prefix.
 */

export const QUOTAS_KEY = ['quotas'] as const;
export const PRICES_KEY = ['prices'] as const;

/** One model's quotas (every model's for a null target) in the given regions (every region when none is given). */
export function useQuotas(target: string | null, regions?: readonly string[], enabled = true) {
  const { api } = useAtlas();
  return useQuery({
    queryKey: [...QUOTAS_KEY, target, regions ?? 'all'],
    queryFn: () => api.getQuotas({ ...(target ? { target } : {}), ...(regions ? { regions: [...regions] } : {}) }),
    enabled,
    staleTime: Infinity,
  });
}

/** One model's (or profile's) prices, every region; the table's date comes with them. */
export function usePrices(target: string | null, enabled = true) {
  const { api } = useAtlas();
  return useQuery({
    queryKey: [...PRICES_KEY, target],
    queryFn: () => api.getPrices(target ? { target } : {}),
    enabled,
    staleTime: Infinity,
  });
}
