import { createServer, type ListenOptions, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DropCounter, type Logger } from '@agentkit/core';
import type { DogstatsdServer, PacketSource } from '../server/server.def.js';
import type { Framer } from './framing.js';

const CLOSE_POLL_MS = 5;

export interface StreamConnectionsOptions {
  readonly server: DogstatsdServer;
  readonly source: PacketSource;
  readonly log: Logger;
  /** A framer for a new connection, handing packets to `onPacket`. */
  readonly framer: (onPacket: (packet: Buffer) => void) => Framer;
  /** The drop reason when a framer refuses a chunk. */
  readonly tooBigReason: string;
}

/**
 * A stream server (Unix stream or TCP) whose connections are framed into packets for the
 * DogStatsD server. A refused frame or a connection ending mid-frame closes / ends that
 * connection only, counted. On close it stops accepting, half-closes every connection (the
 * client sees the end and can finish), reads each one to its end, and cuts the ones still
 * open when the time is up.
 */
export class StreamConnections {
  readonly #options: StreamConnectionsOptions;
  readonly #drops: DropCounter;
  readonly #sockets = new Set<Socket>();
  #netServer: Server | undefined;
  #connections = 0;
  #packets = 0;
  #bytes = 0;
  #serverErrors = 0;

  public constructor(options: StreamConnectionsOptions) {
    this.#options = options;
    this.#drops = new DropCounter(options.log);
  }

  /** Listens; rejects with the listen error (the caller names its config key). */
  public async listen(target: ListenOptions): Promise<Server> {
    const netServer = createServer({ allowHalfOpen: true }, (socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      netServer.once('error', reject);
      netServer.listen(target, () => {
        netServer.off('error', reject);
        resolve();
      });
    });
    netServer.on('error', (error) => {
      this.#serverErrors += 1;
      this.#options.log.warn({ err: error }, 'stream listener error');
    });
    this.#netServer = netServer;
    return netServer;
  }

  public get listening(): boolean {
    return this.#netServer !== undefined;
  }

  /** Ends every connection, waits for the clients to close them until `signal` aborts, then cuts the rest (counted). */
  public async close(signal: AbortSignal): Promise<void> {
    const netServer = this.#netServer;
    if (netServer === undefined) return;
    this.#netServer = undefined;
    const closed = new Promise<void>((resolve) => netServer.close(() => resolve()));
    for (const socket of this.#sockets) socket.end();
    while (this.#sockets.size > 0 && !signal.aborted) await sleep(CLOSE_POLL_MS);
    if (this.#sockets.size > 0) {
      this.#drops.drop('connection_cut_at_stop', this.#sockets.size);
      for (const socket of this.#sockets) socket.destroy();
    }
    await closed;
    this.#drops.flushLog();
  }

  public telemetry(): Record<string, number> {
    return {
      listening: this.#netServer === undefined ? 0 : 1,
      connections: this.#connections,
      open_connections: this.#sockets.size,
      packets: this.#packets,
      bytes: this.#bytes,
      // Errors of the listening socket itself (accept failures); a connection's are `dropped.connection_error`.
      read_errors: this.#serverErrors,
      ...this.#drops.snapshot(),
    };
  }

  #accept(socket: Socket): void {
    this.#connections += 1;
    this.#sockets.add(socket);
    const framer = this.#options.framer((packet) => {
      this.#packets += 1;
      this.#options.server.enqueue(packet, this.#options.source);
    });
    let refused = false;
    let ended = false;
    socket.on('data', (chunk: Buffer) => {
      if (refused) return;
      this.#bytes += chunk.length;
      if (framer.push(chunk) === 'too_big') {
        refused = true;
        this.#drops.drop(this.#options.tooBigReason);
        socket.destroy();
      }
    });
    socket.on('end', () => {
      ended = true;
      if (!refused && framer.finish()) this.#drops.drop('broken_frame');
      socket.end();
    });
    socket.on('error', (error) => {
      this.#drops.drop('connection_error', 1, { err: error.message });
    });
    socket.on('close', () => {
      // A reset connection never sees 'end': what it held is handed over or counted here.
      if (!ended && !refused && framer.finish()) this.#drops.drop('broken_frame');
      this.#sockets.delete(socket);
    });
  }
}
