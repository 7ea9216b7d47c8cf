import type { z } from 'zod';
import { METHOD_NAMES, STREAM_NAMES, type MethodName, type StreamName } from '../methods';
import { accessMethods } from './access';
import { attributionMethods } from './attribution';
import { appMethods } from './app';
import { capacityMethods } from './capacity';
import { catalogMethods } from './catalog';
import { fleetMethods } from './fleet';
import { identityMethods } from './identity';
import type { MethodDefinition, StreamDefinition } from './define';
import { latencyMethods, latencyStreams } from './latency';
import { loadMethods, loadStreams } from './load';
import { playgroundMethods, playgroundStreams } from './playground';
import { pricesMethods } from './prices';
import { quotasMethods } from './quotas';
import { settingsMethods } from './settings';
import { ssoMethods, ssoStreams } from './sso';
import { usageMethods } from './usage';

/**
 * The one API between the main process and the renderer, used by both transports (Electron IPC and the loopback
 * browser host), assembled from one page per feature. Methods answer once; streams send chunks and then one
 * result or error, and can be cancelled; broadcast events are in ../events.ts. Inputs are validated in the main
 * process before any handler runs. A rename here breaks the build of every side, not the running app.
 */

export { METHOD_NAMES, STREAM_NAMES, isMethodName, isStreamName, type MethodName, type StreamName } from '../methods';
export * from './access';
export * from './attribution';
export * from './app';
export * from './capacity';
export * from './catalog';
export * from './fleet';
export * from './identity';
export * from './latency';
export * from './load';
export * from './playground';
export * from './prices';
export * from './quotas';
export * from './settings';
export * from './sso';
export * from './usage';
export * from './vantage';
export { RegionListSchema, RegionNameSchema, type MethodDefinition, type StreamDefinition } from './define';

export const contract = { ...appMethods, ...settingsMethods, ...catalogMethods, ...playgroundMethods, ...latencyMethods, ...loadMethods, ...identityMethods, ...ssoMethods, ...accessMethods, ...quotasMethods, ...pricesMethods, ...usageMethods, ...capacityMethods, ...attributionMethods, ...fleetMethods } satisfies Record<MethodName, MethodDefinition>;
export const streams = { ...playgroundStreams, ...latencyStreams, ...loadStreams, ...ssoStreams } satisfies Record<StreamName, StreamDefinition<z.ZodType, any, unknown>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- chunk types differ per stream

export type Contract = typeof contract;
export type Streams = typeof streams;

/** Fails to compile when the name lists and the contract differ in either direction. */
type SameKeys<A, B> = [keyof A] extends [B] ? ([B] extends [keyof A] ? true : never) : never;
const methodListMatchesContract: SameKeys<Contract, MethodName> = true;
const streamListMatchesContract: SameKeys<Streams, StreamName> = true;
void [methodListMatchesContract, streamListMatchesContract, METHOD_NAMES, STREAM_NAMES];

export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = Contract[M]['output'];

export type StreamInput<S extends StreamName> = z.input<Streams[S]['input']>;
export type ParsedStreamInput<S extends StreamName> = z.output<Streams[S]['input']>;
export type StreamChunk<S extends StreamName> = Streams[S]['chunk'];
export type StreamResult<S extends StreamName> = Streams[S]['result'];

/** What every handler is given besides its input: `signal` aborts when the caller goes away or cancels. */
export interface CallContext {
  signal: AbortSignal;
}

export interface StreamContext<Chunk> extends CallContext {
  /** Sends a chunk to the caller. Await it: it waits while the caller reads slowly, so memory stays bounded. */
  emit(chunk: Chunk): Promise<void>;
}

/** What the main process implements: handlers receive already validated input. */
export type AtlasHandlers = { [M in MethodName]: (input: ParsedInput<M>, context: CallContext) => Promise<MethodOutput<M>> };
export type StreamHandlers = {
  [S in StreamName]: (input: ParsedStreamInput<S>, context: StreamContext<StreamChunk<S>>) => Promise<StreamResult<S>>;
};

/** What the renderer calls: one async function per contract method. */
export type AtlasApi = {
  [M in MethodName]: undefined extends MethodInput<M>
    ? (input?: MethodInput<M>) => Promise<MethodOutput<M>>
    : (input: MethodInput<M>) => Promise<MethodOutput<M>>;
};

/** A running stream as the renderer sees it. Cancelling twice, or after the end, is harmless. */
export interface StreamCall<Result> {
  result: Promise<Result>;
  cancel(): void;
}

export type AtlasStreams = {
  [S in StreamName]: (input: StreamInput<S>, onChunk: (chunk: StreamChunk<S>) => void) => StreamCall<StreamResult<S>>;
};
