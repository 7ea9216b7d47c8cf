/** Regions a short-term Bedrock API key cannot call, as the catalog records them (no schema library: the renderer reads it). */

/**
 * The error code of a region a short-term API key cannot call (it works only in the region that issued it): such a
 * region is "not callable with this key", not failed, and the cause is said once.
 */
export const API_KEY_REGION_CODE = 'ApiKeyRegion';

/** True for a region error that only says the API key in force cannot call that region. */
export function isKeyBoundRegion(error: { code: string } | undefined): boolean {
  return error?.code === API_KEY_REGION_CODE;
}

/** "This short-term API key works only in eu-west-1", from any of those regions' messages: the cause, said once. */
export function keyBoundCause(message: string): string {
  const cut = message.indexOf(':');
  return cut > 0 ? message.slice(0, cut) : message;
}
