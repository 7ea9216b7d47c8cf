import { awsFeature } from '../app/aws-feature';
import { defineFeature } from '../app/feature';
import { catalogFeature } from '../catalog/feature';
import { latencyFeature } from '../latency/feature';
import { historyFeature } from '../storage/history-feature';
import { AttributionStore } from './attribution-store';
import { systemClock, type JobClock } from './clock';
import { servedRegionColumns } from './export-columns';
import { AttributionService } from './service';

/**
 * Served-region attribution (CloudTrail), server time against client time (CloudWatch) and the time-of-day heatmap,
 * over the lab's stored samples (issue 18, sections 2 to 4). Jobs run in the background and are kept in the history
 * database, so a new profile or data directory (which rebuild this) or a restart stops them and the next question
 * resumes them. `createAttributionFeature` takes the clock the jobs wait on (tests pass one whose waits pass at once).
 */
export function createAttributionFeature({ clock = systemClock }: { clock?: JobClock } = {}) {
  return defineFeature({
    name: 'attribution',
    dependsOn: { aws: awsFeature, catalog: catalogFeature, history: historyFeature, latency: latencyFeature },
    create: ({ emit, log }, { aws, catalog, history, latency }) => {
      const store = new AttributionStore(() => history.database());
      const service = new AttributionService({
        clients: aws,
        store,
        samples: latency,
        // The catalog declares each profile's destinations; without one, results say what was observed only.
        catalog: () => catalog.get().then((snapshot) => snapshot.document, () => null),
        clock,
        onProgress: (job) => emit({ type: 'attribution.progress', payload: job }),
        log,
      });
      // A stored latency or load run is looked up in CloudTrail from then on, as the app runs, not first when asked.
      const stopFollowing = latency.onRunSaved((runId, kind) => {
        if (kind !== 'probe') service.status(runId).catch((error: unknown) => log(`Attribution of run ${runId} did not start: ${(error as Error).message}`));
      });
      // Exported samples say where each was served.
      const stopExporting = latency.addExportColumns(servedRegionColumns(store));
      return {
        exports: service,
        methods: {
          attributionStatus: ({ runId }) => service.status(runId),
          startAttribution: ({ runId }) => service.start(runId),
          cancelAttribution: ({ runId }) => service.cancel(runId),
          attributionResults: ({ runId }) => service.results(runId),
          observedRouting: (query) => service.observed(query),
          answerServedRegion: (query) => service.answer(query),
          serverClientTime: ({ runId }, { signal }) => service.serverClientTime(runId, signal),
          timeOfDay: (query) => service.timeOfDay(query),
        },
        // Its workers are stopped and waited for: the history closes after this feature, and DuckDB must not be
        // closed under one of their statements.
        dispose: () => {
          stopFollowing();
          stopExporting();
          return service.stop();
        },
      };
    },
  });
}

export const attributionFeature = createAttributionFeature();
