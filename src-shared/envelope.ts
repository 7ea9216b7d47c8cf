/**
 * Every reply crosses the bridge as an envelope, because Electron's `invoke` drops custom error fields:
 * the caller turns `{ ok: false }` back into an Error that keeps its name and code.
 */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  /** Validation issues, per path, for a ValidationError. */
  issues?: { path: string; message: string }[];
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export class AtlasError extends Error {
  readonly code?: string;
  readonly issues?: SerializedError['issues'];

  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    this.code = serialized.code;
    this.issues = serialized.issues;
  }
}

export function unwrapEnvelope<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new AtlasError(envelope.error);
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const issues = (error as { issues?: unknown }).issues;
    return {
      name: error.name || 'Error',
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(Array.isArray(issues) ? { issues: issues as SerializedError['issues'] } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
