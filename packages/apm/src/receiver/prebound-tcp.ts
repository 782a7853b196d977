import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { token, type ConfigReader, type Logger, type Token } from '@agentkit/core';
import { listenAddress } from '@agentkit/dogstatsd/prebound';
import { apmKeys } from '../config-keys.js';

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The trace agent receiver's TCP server, listening before the pipeline exists, for the
 * receiver to take over (`agentkit exec` opens it and starts its program while the components
 * are still being constructed and started). Until it is taken it accepts connections and holds
 * their requests, unanswered, in order: the receiver answers them first, so a tracer's first
 * request meets neither a closed port nor a lost answer.
 */
export class PreboundApmServer {
  readonly #server: Server;
  #held: [IncomingMessage, ServerResponse][] | undefined = [];

  readonly #log: Logger;

  private constructor(server: Server, log: Logger) {
    this.#server = server;
    this.#log = log;
    server.on('request', this.#hold);
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
    const server = createServer();
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
   * Hands the server over: `onRequest` answers the requests held so far, in order, then every
   * next one. Undefined when it was taken already (one receiver owns it).
   */
  public take(onRequest: RequestHandler): Server | undefined {
    const held = this.#held;
    if (held === undefined) return undefined;
    this.#held = undefined;
    this.#server.off('request', this.#hold);
    this.#server.off('error', this.#onError);
    this.#server.on('request', onRequest);
    // A client that went away while held has no one to answer; its request would never end.
    let gone = 0;
    for (const [req, res] of held) {
      if (req.socket.destroyed) gone += 1;
      else onRequest(req, res);
    }
    if (gone > 0) this.#log.info({ requests: gone }, 'trace agent receiver: clients went away before the receiver started; their requests were not answered');
    return this.#server;
  }

  /** Closes it when no receiver took it; resolves to the number of requests held, which were cut unanswered. */
  public async closeUntaken(): Promise<number> {
    const held = this.#held;
    if (held === undefined) return 0;
    this.#held = undefined;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
    return held.length;
  }

  // A server error (no listener: it would be thrown) is logged, and it goes on, as the receiver does.
  readonly #onError = (error: Error): void => {
    this.#log.warn({ err: error }, 'trace agent receiver: server error (prebound server)');
  };

  readonly #hold: RequestHandler = (req, res) => {
    this.#held?.push([req, res]);
  };
}

/** The prebound receiver server, when the app is given one (`provide(PREBOUND_APM_SERVER, { useValue })`). */
export const PREBOUND_APM_SERVER: Token<PreboundApmServer> = token<PreboundApmServer>('PreboundApmServer');
