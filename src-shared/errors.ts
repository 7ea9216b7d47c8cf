/**
 * The one set of classes every AWS failure falls into, whichever feature met it (the catalog scan, the latency lab,
 * the playground, the doctor). The core's classifier (`src-main/core/aws/errors.ts`) decides the class from the SDK's
 * own signals; the UI and the CLI count and explain failures by it.
 */
export const ERROR_CLASSES = [
  'throttled',
  'accessDenied',
  'organizationPolicy',
  'validation',
  'needsProfile',
  'notOffered',
  'modelNotReady',
  'timeout',
  'network',
  'credentials',
  'other',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];
export type ErrorCounts = Record<ErrorClass, number>;

/** Labels for tables and legends. */
export const ERROR_CLASS_LABELS: Record<ErrorClass, string> = {
  throttled: 'throttled',
  accessDenied: 'access denied',
  organizationPolicy: 'organization policy',
  validation: 'validation',
  needsProfile: 'needs a profile',
  notOffered: 'not offered',
  modelNotReady: 'model not ready',
  timeout: 'timeout',
  network: 'network',
  credentials: 'credentials',
  other: 'other',
};

/** The code a serialized error of each class carries (`SerializedError.code`), stable for the UI and scripts. */
export const ERROR_CLASS_CODES: Record<ErrorClass, string> = {
  throttled: 'THROTTLED',
  accessDenied: 'ACCESS_DENIED',
  organizationPolicy: 'ORGANIZATION_POLICY',
  validation: 'VALIDATION',
  needsProfile: 'NEEDS_INFERENCE_PROFILE',
  notOffered: 'NOT_OFFERED',
  modelNotReady: 'MODEL_NOT_READY',
  timeout: 'TIMEOUT',
  network: 'CONNECTION_LOST',
  credentials: 'CREDENTIALS',
  other: 'AWS_ERROR',
};

export function noErrors(): ErrorCounts {
  return Object.fromEntries(ERROR_CLASSES.map((name) => [name, 0])) as ErrorCounts;
}
