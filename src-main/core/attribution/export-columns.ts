import type { ExportColumns } from '../latency/sample-export';
import type { AttributionStore } from './attribution-store';

/**
 * Where each exported sample was served, beside the lab's columns: `served_region` and `attribution` (pending,
 * attributed, unattributed, unreadable), read as the results read them. An on-demand request runs where it was
 * called; a profile request is what CloudTrail said of its request id, pending until a job has looked for it, and
 * unattributed when it has no request id (stored before they were kept) so it can never be found. A failed request
 * is looked for too: CloudTrail records calls Bedrock refused.
 */
export function servedRegionColumns(store: AttributionStore): ExportColumns {
  return {
    prepare: async () => void (await store.open()),
    join: 'left join attribution_requests attribution on attribution.request_id = s.request_id',
    columns: {
      served_region: "case when s.kind = 'on-demand' then s.region else attribution.served_region end",
      attribution: "case when s.kind = 'on-demand' then 'attributed' else coalesce(attribution.status, case when s.request_id is null then 'unattributed' else 'pending' end) end",
    },
  };
}
