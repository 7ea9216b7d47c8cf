/**
 * Where a part's bytes go: a directory or an S3 prefix. `put` replaces the part at `key` whole (never a torn or
 * partial part, whatever happens meanwhile) or throws; `signal` bounds it.
 */
export interface StoreTarget {
  /** The part's full address, for messages: a path or `s3://bucket/key`. */
  describe(key: string): string;
  put(key: string, bytes: Buffer, signal?: AbortSignal): Promise<void>;
}
