import { connectionOf } from './protocol';
import type { EmulatorRequest } from './wire';

/**
 * Which connections carried Bedrock requests, per region and per plane. A connection (an HTTP/1.1 socket or an
 * HTTP/2 session) is counted once, when its first signed request arrives, for the region and plane of that request:
 * the region comes from the signature, the plane from the operation (Converse, ConverseStream and CountTokens are
 * the runtime). On AWS the two planes are different hosts, so a client never mixes them on one connection.
 */

export type Plane = 'runtime' | 'controlPlane';

export interface ConnectionCounts {
  /** Connections per region, both planes. */
  connections: Record<string, number>;
  runtimeConnections: Record<string, number>;
  controlPlaneConnections: Record<string, number>;
}

export class ConnectionTracker {
  private used = new WeakSet<object>();
  private counted = new WeakSet<object>();
  private counts: ConnectionCounts = { connections: {}, runtimeConnections: {}, controlPlaneConnections: {} };

  /** True for the first request a connection carries (signed or not): the one that pays for the handshake. */
  firstUse(request: EmulatorRequest): boolean {
    const connection = connectionOf(request);
    if (this.used.has(connection)) return false;
    this.used.add(connection);
    return true;
  }

  attribute(request: EmulatorRequest, region: string, plane: Plane): void {
    const connection = connectionOf(request);
    if (this.counted.has(connection)) return;
    this.counted.add(connection);
    const bump = (table: Record<string, number>) => (table[region] = (table[region] ?? 0) + 1);
    bump(this.counts.connections);
    bump(plane === 'runtime' ? this.counts.runtimeConnections : this.counts.controlPlaneConnections);
  }

  snapshot(): ConnectionCounts {
    return structuredClone(this.counts);
  }

  /**
   * Forgets the counts: a kept-alive connection counts again at its next request. It does not pay the handshake
   * again, since it is still open.
   */
  reset(): void {
    this.counted = new WeakSet();
    this.counts = { connections: {}, runtimeConnections: {}, controlPlaneConnections: {} };
  }
}
