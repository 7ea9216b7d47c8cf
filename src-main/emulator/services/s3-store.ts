/**
 * The emulator's S3 buckets and objects, in memory. Like S3 itself (and the emulator's CloudTrail history) they
 * outlive a change of scenario; only a reset of the emulator clears them.
 */

export interface StoredObject {
  key: string;
  body: Buffer;
  /** Quoted hex MD5 of the body, as S3 gives a single-part upload's ETag. */
  etag: string;
  /** S3's clock when it was stored, whole seconds (epoch milliseconds): what Last-Modified says. */
  lastModified: number;
  contentType: string;
  contentEncoding?: string;
  /** `x-amz-meta-*` headers, names lowercased without the prefix. */
  metadata: Record<string, string>;
  /** The upload's checksums by algorithm (`crc32`, `sha256`, …), base64, as S3 answers them with `x-amz-checksum-mode`. */
  checksums: Record<string, string>;
}

export interface StoredBucket {
  name: string;
  region: string;
  /** Epoch milliseconds. */
  created: number;
  objects: Map<string, StoredObject>;
}

/** One object as a test sees it (`RunningEmulator.s3Objects()`). */
export interface S3ObjectSnapshot {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  lastModified: string;
  contentType: string;
  body: Buffer;
}

/** S3 lists keys in ascending UTF-8 byte order, which is not JavaScript's UTF-16 order past the BMP. */
export const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export class ObjectStore {
  private readonly buckets = new Map<string, StoredBucket>();
  /** Each bucket's keys in S3's order, kept until the bucket changes: a sync lists far more often than it writes. */
  private readonly sortedKeys = new Map<string, string[]>();

  bucket(name: string): StoredBucket | undefined {
    return this.buckets.get(name);
  }

  allBuckets(): StoredBucket[] {
    return [...this.buckets.values()].sort((a, b) => compareKeys(a.name, b.name));
  }

  /** False when the bucket exists already. */
  createBucket(name: string, region: string, now: number): boolean {
    if (this.buckets.has(name)) return false;
    this.buckets.set(name, { name, region, created: now, objects: new Map() });
    return true;
  }

  deleteBucket(name: string): void {
    this.buckets.delete(name);
    this.sortedKeys.delete(name);
  }

  put(bucket: StoredBucket, object: StoredObject): void {
    if (!bucket.objects.has(object.key)) this.sortedKeys.delete(bucket.name);
    bucket.objects.set(object.key, object);
  }

  delete(bucket: StoredBucket, key: string): void {
    if (bucket.objects.delete(key)) this.sortedKeys.delete(bucket.name);
  }

  keys(bucket: StoredBucket): string[] {
    let keys = this.sortedKeys.get(bucket.name);
    if (!keys) {
      keys = [...bucket.objects.keys()].sort(compareKeys);
      this.sortedKeys.set(bucket.name, keys);
    }
    return keys;
  }

  /** Every object of every bucket, by bucket and key; each body a copy. */
  snapshot(): S3ObjectSnapshot[] {
    return this.allBuckets().flatMap((bucket) =>
      this.keys(bucket).map((key) => {
        const object = bucket.objects.get(key)!;
        return {
          bucket: bucket.name,
          key,
          size: object.body.length,
          etag: object.etag,
          lastModified: new Date(object.lastModified).toISOString(),
          contentType: object.contentType,
          body: Buffer.from(object.body),
        };
      }),
    );
  }

  clear(): void {
    this.buckets.clear();
    this.sortedKeys.clear();
  }
}
