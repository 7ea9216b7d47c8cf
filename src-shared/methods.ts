/**
 * The contract's method and stream names, kept apart from its schemas so the sandboxed preload (which cannot
 * load modules) and the renderer can generate their callers without bundling the schema library.
 * `contract/index.ts` checks that these lists and the contract are the same sets: a rename breaks the build.
 */
export const METHOD_NAMES = [
  'getAppInfo',
  'getSettings',
  'updateSettings',
  'getSettingsView',
  'getCatalog',
  'refreshCatalog',
  'cancelRefresh',
  'getModelAccess',
  'findModel',
  'bestRegions',
  'countTokens',
  'saveConversation',
  'listConversations',
  'getConversation',
  'deleteConversation',
  'estimateLatencyRun',
  'latencyHistory',
  'latencySeries',
  'rankRoutes',
  'exportLatency',
  'historyStatus',
  'estimateLoadRun',
  'loadRunLevels',
  'whoAmI',
  'apiKeyStatus',
  'setApiKey',
  'clearApiKey',
  'checkAccess',
  'ssoStatus',
  'getQuotas',
  'refreshQuotas',
  'cancelQuotaRefresh',
  'getPrices',
  'refreshPrices',
  'getUsage',
  'capacity',
  'attributionStatus',
  'startAttribution',
  'cancelAttribution',
  'attributionResults',
  'observedRouting',
  'answerServedRegion',
  'serverClientTime',
  'timeOfDay',
  'fleetStatus',
  'syncFleet',
  'cancelFleetSync',
  'fleetVantages',
  'ttftByVantage',
] as const;

export const STREAM_NAMES = ['converse', 'probeNetwork', 'runLatency', 'runLoad', 'ssoSignIn'] as const;

export type MethodName = (typeof METHOD_NAMES)[number];
export type StreamName = (typeof STREAM_NAMES)[number];

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

export function isStreamName(name: string): name is StreamName {
  return (STREAM_NAMES as readonly string[]).includes(name);
}
