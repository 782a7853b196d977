import type { Server } from 'node:http';
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { token, type ConfigReader, type Logger, type Token } from '@agentkit/core';
import { listenAddress } from '@agentkit/dogstatsd/prebound';
import { apmKeys } from '../config-keys.js';

/**
 * The trace agent receiver's TCP port, listening before the pipeline exists, for the receiver
 * to take over (`agentkit exec` opens it and starts its program while the components are still
 * being constructed and started). Until it is taken it accepts connections and holds them
 * unread, in order (node:net's `pauseOnConnect`: their requests wait in the kernel); the
 * receiver's HTTP server then takes the listening socket and these connections, so a tracer's
 * first request meets neither a closed port nor a lost answer. A plain TCP server, not an HTTP
 * one: node:http is loaded with the receiver, after the program has started, not before it
 * (docs/benchmarks.md, "Issue 17 §1, exec's work before the spawn").
 */
export class PreboundApmServer {
  readonly #server: NetServer;
  #held: Socket[] | undefined = [];

  readonly #log: Logger;

  private constructor(server: NetServer, log: Logger) {
    this.#server = server;
    this.#log = log;
    server.on('connection', this.#hold);
    server.on('error', this.#onError);
  }

  /**
   * Listens as the receiver would (`apm_config.receiver_port`, `bind_host` or every interface
   * with `apm_config.apm_non_local_traffic`). Undefined when the port is 0 or the listen fails:
   * the receiver then tries itself at its start and reports the failure as it always does.
   */
  public static async listen(config: ConfigReader, logger: Logger): Promise<PreboundApmServer | undefined> {
    const port = config.get(apmKeys.receiverPort);
    if (port <= 0) return undefined;
    const server = createServer({ pauseOnConnect: true });
    try {
      const address = await listenAddress(config, apmKeys.nonLocalTraffic);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        // No host: Node listens on `::` (dual-stack), or on 0.0.0.0 where there is no IPv6.
        server.listen(address.dualStack ? { port } : { port, host: address.host }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch {
      server.close();
      return undefined;
    }
    return new PreboundApmServer(server, logger);
  }

  /** The port it listens on. */
  public get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /**
   * Hands the port over to `server` (an HTTP server that is not listening): it listens on this
   * socket from now on (node:net's `listen(handle)`, documented for a server's handle), then is
   * given the connections held so far, in order, which it reads from then. False when it was
   * taken already (one receiver owns it).
   */
  public take(server: Server): boolean {
    const held = this.#held;
    if (held === undefined) return false;
    this.#held = undefined;
    this.#server.off('connection', this.#hold);
    this.#server.off('error', this.#onError);
    server.listen(this.#server);
    // Unread, a connection whose client went away is not known to be closed yet: the HTTP server
    // finds out at its first read, as for any connection that closes before its request.
    for (const socket of held) {
      server.emit('connection', socket);
      socket.resume();
    }
    return true;
  }

  /** Closes it when no receiver took it; resolves to the number of connections held, which were cut unanswered. */
  public async closeUntaken(): Promise<number> {
    const held = this.#held;
    if (held === undefined) return 0;
    this.#held = undefined;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of held) socket.destroy();
    await closed;
    return held.length;
  }

  // A server error (no listener: it would be thrown) is logged, and it goes on, as the receiver does.
  readonly #onError = (error: Error): void => {
    this.#log.warn({ err: error }, 'trace agent receiver: server error (prebound server)');
  };

  readonly #hold = (socket: Socket): void => {
    this.#held?.push(socket);
  };
}

/** The prebound receiver server, when the app is given one (`provide(PREBOUND_APM_SERVER, { useValue })`). */
export const PREBOUND_APM_SERVER: Token<PreboundApmServer> = token<PreboundApmServer>('PreboundApmServer');
