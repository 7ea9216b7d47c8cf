import { getModel } from '../../../../src-shared/catalog/queries';
import type { AtlasHandlers } from '../../../../src-shared/contract';
import { awsFeature } from '../../app/aws-feature';
import { defineFeature } from '../../app/feature';
import { catalogFeature } from '../../catalog/feature';
import { sinceInstant } from '../../latency/history-query';
import { defaultDataDir } from '../../storage/history-database';
import { historyFeature } from '../../storage/history-feature';
import { ttftByVantage } from './query';
import { TeamData } from './team-data';

/** The window the team view reads when none is given. */
export const DEFAULT_TEAM_WINDOW = '30d';

/**
 * Team data (`fleetStatus`, `syncFleet`, `cancelFleetSync`, `fleetVantages`, `ttftByVantage`): the team's store
 * synced into a local cache and read beside this machine's history. Its export serves the latency feature, whose
 * history, series, ranking and matrix figures take a vantage. The store is read from the settings on each call, so
 * a new Team data setting applies at once, without rebuilding the latency feature (and cancelling its runs).
 */
export const teamFeature = defineFeature({
  name: 'team',
  dependsOn: { aws: awsFeature, history: historyFeature, catalog: catalogFeature },
  create: ({ settings, emit }, { aws, history, catalog }) => {
    const team = new TeamData({
      location: () => settings().teamStore,
      dataDir: () => settings().dataDir ?? defaultDataDir(),
      pool: aws,
      history,
      region: () => process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? settings().regions[0] ?? 'us-east-1',
      emit,
    });
    const methods: Pick<AtlasHandlers, 'fleetStatus' | 'syncFleet' | 'cancelFleetSync' | 'fleetVantages' | 'ttftByVantage'> = {
      fleetStatus: () => team.status(),
      syncFleet: () => team.sync(),
      cancelFleetSync: async () => ({ cancelled: team.cancelSync() }),
      fleetVantages: async () => ({ vantages: await team.vantages() }),
      ttftByVantage: async ({ target, since = DEFAULT_TEAM_WINDOW, regions, includeLocal }) => {
        // The catalog resolves a name to its model id; without one (offline, no cache) the target is matched as given.
        const model = await catalog.get().then((snapshot) => getModel(snapshot.document, target), () => null);
        const targets = model && model.modelId !== target ? [target, model.modelId] : [target];
        const cells = await team.query('all', (engine, parts, scope) =>
          ttftByVantage(engine, parts, { targets, since: sinceInstant(since), regions, includeLocal: includeLocal && scope.includeLocal }),
        );
        return {
          target,
          modelId: model?.modelId ?? null,
          since,
          vantages: [...new Set(cells.map((cell) => cell.vantage))],
          regions: [...new Set(cells.map((cell) => cell.region))].sort(),
          cells,
          problems: (await team.problems()).filter((problem) => problem.kind === 'corrupt' || problem.kind === 'newer-schema'),
        };
      },
    };
    return { exports: team, methods, dispose: () => team.close() };
  },
});
