import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { EmulatorRequest, EmulatorResponse } from './wire';

/**
 * One cleartext loopback port that speaks HTTP/1.1 and HTTP/2 (h2c, the runtime client's default). Node's
 * `allowHTTP1` only works behind TLS (ALPN), so each connection's first bytes are peeked: the HTTP/2 preface goes to
 * the h2c server, anything else to the HTTP/1.1 one.
 */

/** The first bytes of every cleartext HTTP/2 connection (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');
const WINDOW_BYTES = 16 * 1024 * 1024;

export interface LoopbackServer {
  port: number;
  /** The TCP socket a request arrived on (for HTTP/2, the one under its session). */
  socketOf(request: EmulatorRequest): Socket | undefined;
  close(): Promise<void>;
}

/** What identifies one connection: the socket for HTTP/1.1, the session for HTTP/2. */
export function connectionOf(request: EmulatorRequest): object {
  return request.httpVersionMajor === 2 ? (request as Http2ServerRequest).stream.session! : request.socket;
}

/**
 * The HTTP/2 session reads its socket's native handle directly, so bytes already read cannot be pushed back with
 * `unshift`: hand it a stream that replays the peeked bytes and then relays the socket.
 */
function replayingStream(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => socket.resume(),
    write: (chunk: Buffer, _encoding, callback) => socket.write(chunk, callback),
    final: (callback) => socket.end(callback),
    destroy: (error, callback) => {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  stream.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  return stream;
}

export async function listenH1AndH2c(
  port: number,
  onRequest: (request: EmulatorRequest, response: EmulatorResponse) => void,
  onConnection: () => void,
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const sessionSockets = new Map<object, Socket>();
  // Wide flow-control windows: with HTTP/2's default 64 KB, a 5 MB image body crawls in at one window per round trip.
  const h2Server = http2.createServer({ settings: { initialWindowSize: WINDOW_BYTES } }, onRequest as (request: Http2ServerRequest, response: Http2ServerResponse) => void);
  const h1Server = http.createServer({ keepAlive: true }, onRequest as (request: IncomingMessage, response: ServerResponse) => void);
  // The h2 server announces a session synchronously while handling 'connection': that is when its socket is known.
  let socketOfNextSession: Socket | undefined;
  h2Server.on('session', (session) => {
    if (socketOfNextSession) sessionSockets.set(session, socketOfNextSession);
    session.once('connect', () => session.setLocalWindowSize(WINDOW_BYTES));
    session.on('close', () => sessionSockets.delete(session));
  });
  // No Nagle: an HTTP/2 answer goes out in several small writes (HEADERS, DATA), and a held-back last segment waits
  // for the client's delayed ACK, about 40 ms a call (sequential h2c Converse calls took 50 ms each; with this, 5).
  // Node's HTTP server sets it for its own sockets; this server accepts them itself.
  const server = net.createServer({ noDelay: true }, (socket) => {
    onConnection();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      const prefix = first.subarray(0, Math.min(first.length, HTTP2_PREFACE.length));
      if (prefix.equals(HTTP2_PREFACE.subarray(0, prefix.length))) {
        socketOfNextSession = socket;
        h2Server.emit('connection', replayingStream(socket, first));
        socketOfNextSession = undefined;
      } else {
        socket.unshift(first);
        h1Server.emit('connection', socket);
        socket.resume();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    socketOf: (request) =>
      request.httpVersionMajor === 2
        ? sessionSockets.get((request as Http2ServerRequest).stream.session!)
        : (request.socket as Socket),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessionSockets.keys()) (session as ServerHttp2Session).destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
