import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FleetStatus, FleetSyncProgress, FleetVantage } from '../../src-shared/contract/fleet';
import { ALL_VANTAGES, LOCAL_VANTAGE, LOCAL_VANTAGE_LABEL } from '../../src-shared/contract/vantage';
import { useAtlas, useAtlasEvent } from '../api/atlas-context';
import { useCell } from '../app/cell';
import type { FleetWork } from './fleet-work';

export const FLEET_STATUS_KEY = ['fleet', 'status'] as const;

/**
 * The team store's status: asked once, then kept current by `fleet.status` (sent when a sync ends or the store
 * setting changes), so every page that shows team data sees the same answer without asking again.
 */
export function useFleetStatus() {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  useAtlasEvent('fleet.status', (status) => queryClient.setQueryData(FLEET_STATUS_KEY, status));
  return useQuery({ queryKey: FLEET_STATUS_KEY, queryFn: () => api.fleetStatus() });
}

/** The store's vantages, without this machine. */
export const teamVantages = (status: FleetStatus | undefined): FleetVantage[] => (status?.vantages ?? []).filter((vantage) => vantage.name !== LOCAL_VANTAGE);

/** How a vantage choice reads: "this machine", "all vantages" or the vantage's name. */
export function vantageLabel(vantage: string): string {
  if (vantage === LOCAL_VANTAGE) return LOCAL_VANTAGE_LABEL;
  if (vantage === ALL_VANTAGES) return 'all vantages';
  return vantage;
}

/**
 * The "from" choice in force: the one picked, while the store still has that vantage (a store changed or emptied
 * since falls back to this machine rather than asking for a vantage the core would refuse). `stamp` changes when a
 * sync brings new team data: queries that read team data key on it, so they ask again then and only then.
 */
export function useVantageChoice(work: FleetWork) {
  const [picked, setPicked] = useCell(work.from);
  const status = useFleetStatus();
  const team = teamVantages(status.data);
  const known = picked === LOCAL_VANTAGE || (picked === ALL_VANTAGES ? team.length > 0 : team.some((vantage) => vantage.name === picked));
  const vantage = known ? picked : LOCAL_VANTAGE;
  return {
    vantage,
    setVantage: setPicked,
    status,
    team,
    stamp: vantage === LOCAL_VANTAGE ? null : (status.data?.lastSyncAt ?? null),
  };
}

export type VantageChoiceState = ReturnType<typeof useVantageChoice>;

/** The vantage as a query's input: absent for this machine, so the reads stay what they were without team data. */
export const vantageInput = (vantage: string): { vantage?: string } => (vantage === LOCAL_VANTAGE ? {} : { vantage });

/**
 * Sync now with its progress (`fleet.sync.progress`, whoever started the sync), and Cancel. When it ends the
 * status is asked again (it names the vantages found and what could not be read).
 */
export function useFleetSync() {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  const status = useFleetStatus();
  const [progress, setProgress] = useState<FleetSyncProgress | null>(null);
  useAtlasEvent('fleet.sync.progress', (event) => setProgress(event));
  const sync = useMutation({
    mutationFn: () => api.syncFleet({}),
    onMutate: () => setProgress(null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: FLEET_STATUS_KEY }),
  });
  const cancel = useMutation({ mutationFn: () => api.cancelFleetSync() });
  const running = sync.isPending || (status.data?.syncing ?? false);
  return { sync, cancel, progress: running ? progress : null, running, status };
}
