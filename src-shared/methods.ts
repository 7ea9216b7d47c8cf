/**
 * The contract's method names, kept apart from its schemas so the sandboxed preload (which cannot load modules)
 * and the renderer can generate their callers without bundling the schema library. `contract.ts` checks that
 * this list and its methods are the same set: a rename breaks the build.
 */
export const METHOD_NAMES = [
  'getAppInfo',
  'getSettings',
  'updateSettings',
  'getCatalog',
  'refreshCatalog',
  'cancelRefresh',
  'getModelAccess',
  'findModel',
  'bestRegions',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}
