import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AwsClientPool } from '../../aws/client-pool';
import type { FleetCycle, FleetSink, FleetSinkStatus } from '../cycle';
import { directoryTarget } from './local-target';
import { locationText, parseStoreLocation, type StoreLocation } from './layout';
import { ParquetEncoder, type EncodedPart } from './parquet-writer';
import { s3Target } from './s3-target';
import { DEFAULT_SPOOL_MAX_BYTES, Spool, type SpoolEntry } from './spool';
import type { StoreTarget } from './target';

/**
 * The team store as a fleet sink. Each cycle is encoded to Parquet (samples, probes, then its run), spooled
 * locally, then sent to the store; once the store has every part the spooled copy is removed. A store that is
 * away leaves the cycle in the spool, and the next write (or a flush) sends the spool again, oldest first, so
 * nothing is lost while the spool has room, not even across a crash or kill -9 mid-upload. `write` never throws:
 * what went wrong is in the status and one log line.
 */

export interface StoreSinkOptions {
  /** A directory or `s3://bucket/prefix` (as parsed by parseStoreLocation; a bad one throws InvalidStoreLocation). */
  location: string | StoreLocation;
  /** The app's client pool: required for an S3 store. */
  pool?: AwsClientPool;
  /** The region the bucket is called in (the monitor takes AWS_REGION): the bucket's own. */
  region: string;
  /** The spool, in the data directory: each store location gets a folder of its own under it. */
  spoolDir: string;
  /** The spool's bound; the oldest cycles are dropped beyond it. 100 MB by default. */
  spoolMaxBytes?: number;
  /** How long one part's upload may take before it is abandoned (and stays spooled). 60 s by default. */
  uploadTimeoutMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_UPLOAD_TIMEOUT_MS = 60_000;

function targetFor(location: StoreLocation, options: StoreSinkOptions): StoreTarget {
  if (location.kind === 'directory') return directoryTarget(location.path);
  if (!options.pool) throw new TypeError('An S3 store needs the AWS client pool');
  return s3Target({ pool: options.pool, region: options.region, bucket: location.bucket, prefix: location.prefix });
}

/** The spool folder of one store location: a store that changes keeps its own cycles for its own location. */
export function spoolDirectoryFor(spoolDir: string, location: StoreLocation): string {
  return join(spoolDir, createHash('sha256').update(locationText(location)).digest('hex').slice(0, 16));
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export function createStoreSink(options: StoreSinkOptions): FleetSink {
  const location = typeof options.location === 'string' ? parseStoreLocation(options.location) : options.location;
  return new StoreSink(location, targetFor(location, options), options);
}

class StoreSink implements FleetSink {
  readonly name: string;
  private readonly spool: Spool;
  private readonly encoder: ParquetEncoder;
  private readonly log: (line: string) => void;
  private readonly uploadTimeoutMs: number;
  private written = 0;
  private lastError: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    location: StoreLocation,
    private readonly target: StoreTarget,
    options: StoreSinkOptions,
  ) {
    this.name = `store ${locationText(location)}`;
    this.spool = new Spool(spoolDirectoryFor(options.spoolDir, location), options.spoolMaxBytes ?? DEFAULT_SPOOL_MAX_BYTES);
    this.encoder = new ParquetEncoder(join(options.spoolDir, 'scratch'));
    this.log = options.log ?? (() => {});
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  }

  /** One operation at a time: a flush never sends a spooled cycle a write is sending. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  write(cycle: FleetCycle): Promise<void> {
    if (this.closed) return Promise.resolve(this.fail(`cycle ${cycle.runId} arrived after the store sink was closed; it was not stored`));
    // Whatever fails (a full disk under the spool, a bug), measuring goes on: the status and the log say so.
    return this.serialized(() => this.writeNow(cycle)).catch((error: unknown) => this.fail(`cycle ${cycle.runId}: ${(error as Error).message}`));
  }

  flush(signal?: AbortSignal): Promise<void> {
    return this.serialized(async () => {
      await this.drain(signal);
    }).catch((error: unknown) => this.fail(`the spool could not be sent: ${(error as Error).message}`));
  }

  status(): FleetSinkStatus {
    return { name: this.name, written: this.written, pending: this.spool.pending, dropped: this.spool.dropped.cycles, lastError: this.lastError };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.encoder.close();
  }

  private fail(message: string): void {
    this.lastError = message;
    try {
      this.log(`Team store: ${message}`);
    } catch {
      // A log that fails must not fail the write it reports on.
    }
  }

  private async writeNow(cycle: FleetCycle): Promise<void> {
    let parts: EncodedPart[];
    try {
      parts = await this.encoder.encode(cycle);
    } catch (error) {
      return this.fail(`cycle ${cycle.runId} could not be written as Parquet, so it was not stored: ${(error as Error).message.split('\n')[0]}`);
    }
    const spooled = await this.spoolCycle(cycle, parts);
    const spoolSent = await this.drain();
    if (spooled) return;
    // Not spooled (larger than the whole spool, or the spool unwritable): sent now, or lost and counted.
    if (!spoolSent) return this.lose(cycle, 'the store is away and the spool could not keep it');
    try {
      await this.send(parts);
      this.written += 1;
    } catch (error) {
      await this.lose(cycle, (error as Error).message);
    }
  }

  /** Spools the cycle before it is sent; false when it cannot be (then it is sent without a copy). */
  private async spoolCycle(cycle: FleetCycle, parts: readonly EncodedPart[]): Promise<boolean> {
    try {
      const { spooled, dropped } = await this.spool.add(cycle.runId, cycle.samples.length, parts);
      if (dropped.length > 0) this.reportDropped(dropped);
      if (!spooled) this.fail(`cycle ${cycle.runId} is larger than the whole spool (${megabytes(this.spool.maxBytes)}): it is sent without a spooled copy`);
      return spooled;
    } catch (error) {
      this.fail(`the spool ${this.spool.directory} cannot be written (${(error as Error).message.split('\n')[0]}): cycle ${cycle.runId} is sent without a spooled copy`);
      return false;
    }
  }

  private reportDropped(dropped: readonly SpoolEntry[]): void {
    const samples = dropped.reduce((sum, entry) => sum + entry.samples, 0);
    const total = this.spool.dropped;
    this.fail(
      `the spool is full (${megabytes(this.spool.maxBytes)}): dropped the ${dropped.length} oldest unsent cycle(s) (${samples} samples); ${total.cycles} cycle(s), ${total.samples} samples dropped in all`,
    );
  }

  private async lose(cycle: FleetCycle, why: string): Promise<void> {
    await this.spool.countDropped(1, cycle.samples.length);
    this.fail(`cycle ${cycle.runId} (${cycle.samples.length} samples) was lost: ${why}`);
  }

  /** Sends a cycle's parts in order (the run last), each bounded by the upload timeout and the caller's signal. */
  private async send(parts: readonly { key: string; bytes: Buffer }[], signal?: AbortSignal): Promise<void> {
    for (const part of parts) {
      const timeout = AbortSignal.timeout(this.uploadTimeoutMs);
      await this.target.put(part.key, part.bytes, signal ? AbortSignal.any([signal, timeout]) : timeout);
    }
  }

  /**
   * Sends the spooled cycles, oldest first, removing each once the store has all its parts. Stops at the first
   * failure (the store is away: the rest would fail too) or when the signal fires. True when the spool is empty.
   */
  private async drain(signal?: AbortSignal): Promise<boolean> {
    const entries = await this.spool.entries();
    let resent = 0;
    for (const entry of entries) {
      if (signal?.aborted) return false;
      const content = await this.spool.read(entry);
      if (!content) continue;
      try {
        await this.send(content.parts, signal);
      } catch (error) {
        this.fail(`${(error as Error).message} ${this.spool.pending} cycle(s) wait in the spool.`);
        return false;
      }
      await this.spool.remove(entry);
      this.written += 1;
      resent += 1;
    }
    if (resent > 1 || (resent === 1 && this.lastError !== null)) this.log(`Team store: sent ${resent} spooled cycle(s); the spool is empty.`);
    this.lastError = null;
    return true;
  }
}
