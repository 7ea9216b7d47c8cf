import { Agent as HttpAgent, request as httpRequest, type AgentOptions, type ClientRequest, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

/**
 * One keep-alive pool of runtime connections per region, shared by every runtime client of that region, so
 * sequential calls reuse one warm connection (TCP and TLS paid once) and C concurrent calls use at most C. The
 * pool counts what it does: a socket's first request opens a connection, every later request reuses one.
 */

export interface ConnectionStats {
  /** Connections the pool opened (each a TCP, and on AWS a TLS, handshake). */
  opened: number;
  /** Requests sent over a connection kept alive from an earlier request. */
  reused: number;
}

/**
 * Told about every socket a request gets, before it is used: a new one (`reused: false`, still connecting, so its
 * `lookup`, `connect` and `secureConnect` events are still to come) or one taken from the pool.
 */
export type SocketListener = (socket: Duplex, use: { reused: boolean }) => void;

export interface PoolSettings {
  /** Connections per region at most; further concurrent calls queue. */
  maxSockets: number;
}

export const RUNTIME_POOL: PoolSettings = { maxSockets: 50 };

const WARM_UP_PATH = '/model/bedrock-atlas-warm-up/converse';

class SocketLedger {
  readonly stats: ConnectionStats = { opened: 0, reused: 0 };
  private readonly listeners = new Set<SocketListener>();
  private readonly known = new WeakSet<Duplex>();

  opened(socket: Duplex): void {
    if (this.known.has(socket)) return;
    this.known.add(socket);
    this.stats.opened++;
    this.tell(socket, false);
  }

  reused(socket: Duplex): void {
    this.stats.reused++;
    this.tell(socket, true);
  }

  listen(listener: SocketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(socket: Duplex, reused: boolean): void {
    for (const listener of this.listeners) listener(socket, { reused });
  }
}

type ConnectionCallback = (error: Error | null, socket: Duplex) => void;

/**
 * Node's agent calls `createConnection` for every new socket and `reuseSocket` whenever a kept-alive socket takes a
 * request: the two documented hooks that tell opened from reused. `createConnection` may hand the socket back
 * directly or through the callback, so both paths are noted (the ledger counts each socket once).
 */
function countSockets(agent: HttpAgent, ledger: SocketLedger): void {
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (options: ClientRequestArgs, callback?: ConnectionCallback) => {
    const noted: ConnectionCallback | undefined =
      callback &&
      ((error, socket) => {
        if (socket) ledger.opened(socket);
        callback(error, socket);
      });
    const socket = createConnection(options, noted);
    if (socket) ledger.opened(socket);
    return socket;
  };
  const reuseSocket = agent.reuseSocket.bind(agent);
  agent.reuseSocket = (socket: Duplex, request: ClientRequest) => {
    reuseSocket(socket, request);
    ledger.reused(socket);
  };
}

export interface WarmUpResult {
  region: string;
  /** The connection was already in the pool: nothing had to be opened. */
  reused: boolean;
  /** Round trip of the warm-up request, connection set-up included when one was opened. */
  ms: number;
  /** The HTTP status of the answer (any status proves the connection); absent when the request failed. */
  status?: number;
  error?: string;
}

export class RuntimeConnectionPool {
  /**
   * The pool's agents, for whoever needs the raw sockets (the latency lab times their events). AWS is `https:`; an
   * endpoint given on the command line or configured for the service may be plain `http:` (a proxy, the emulator),
   * and the SDK picks the agent by the endpoint's protocol, so both are counted.
   */
  readonly httpsAgent: HttpsAgent;
  readonly httpAgent: HttpAgent;
  private readonly ledger = new SocketLedger();

  constructor(
    readonly region: string,
    settings: PoolSettings = RUNTIME_POOL,
  ) {
    // LIFO (Node's default) hands out the most recently used socket, so a sequence of calls stays on one connection.
    const options: AgentOptions = { keepAlive: true, maxSockets: settings.maxSockets, scheduling: 'lifo' };
    this.httpsAgent = new HttpsAgent(options);
    this.httpAgent = new HttpAgent(options);
    countSockets(this.httpsAgent, this.ledger);
    countSockets(this.httpAgent, this.ledger);
  }

  /** The agent that carries requests to this endpoint. */
  agentFor(endpoint: URL): HttpAgent {
    return endpoint.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
  }

  stats(): ConnectionStats {
    return { ...this.ledger.stats };
  }

  /** Hears about every socket a request of this region gets; returns the function that stops listening. */
  onSocket(listener: SocketListener): () => void {
    return this.ledger.listen(listener);
  }

  /**
   * Makes sure one connection to the region is open and idle in the pool. It sends an unsigned, empty Converse
   * request for a placeholder model: the service refuses it at once (403 Missing Authentication Token; no model runs,
   * nothing is billed), which is the cheapest round trip that proves the connection, and the socket then stays in
   * the pool for the next real call. A real runtime route (not `/`) makes it the connection's first request in every
   * sense, so a stand-in that charges a handshake to a connection's first request charges it here.
   */
  warmUp(endpoint: URL, timeoutMs: number): Promise<WarmUpResult> {
    const started = performance.now();
    const request = endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let reused = false;
      const finish = (outcome: { status?: number; error?: string }) =>
        resolve({ region: this.region, reused, ms: Math.round(performance.now() - started), ...outcome });
      const headers = { 'user-agent': 'bedrock-atlas-warm-up', 'content-type': 'application/json', 'content-length': '0' };
      const req = request(endpoint, { method: 'POST', path: WARM_UP_PATH, agent: this.agentFor(endpoint), headers }, (response) => {
        response.resume();
        response.on('end', () => finish({ status: response.statusCode }));
      });
      req.on('socket', () => (reused = req.reusedSocket));
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${endpoint.host} within ${timeoutMs} ms`)));
      req.on('error', (error) => finish({ error: error.message }));
      req.end();
    });
  }

  destroy(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }
}
