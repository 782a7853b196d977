import type { AddressInfo } from 'node:net';
import { CONFIG, inject, injectable, LOGGER, type ConfigReader, type Logger } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { drainSignal } from './drain-signal.js';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';
import { DOGSTATSD_SERVER, type DogstatsdServer } from '../server/server.def.js';
import { NewlineFramer } from './framing.js';
import { formatHostPort, listenAddress } from './listen-address.js';
import type { TcpListener } from './listener.def.js';
import { StreamConnections } from './stream-connections.js';

/**
 * Newline-delimited DogStatsD over TCP on `dogstatsd_tcp_port` (agentkit extension; off at 0):
 * lossless where UDP is not, for clients such as hot-shots with `protocol: 'tcp'`. Bound where
 * the UDP listener binds: `bind_host`, or every interface with `dogstatsd_non_local_traffic`. A line longer than `dogstatsd_buffer_size`
 * closes its connection (`dropped.line_too_long`).
 */
@injectable()
export class NetTcpListener implements TcpListener {
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #connections: StreamConnections;
  #port = 0;
  #address = '';

  public constructor(
    @inject(DOGSTATSD_SERVER) server: DogstatsdServer,
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
  ) {
    this.#config = config;
    this.#log = logger.child({ component: 'TcpListener' });
    const maxLineBytes = config.get(dogstatsdKeys.bufferSize);
    this.#connections = new StreamConnections({
      server,
      source: 'tcp',
      log: this.#log,
      framer: (onPacket) => new NewlineFramer(maxLineBytes, onPacket),
      tooBigReason: 'line_too_long',
    });
  }

  public get listening(): boolean {
    return this.#connections.listening;
  }

  public get port(): number {
    return this.#port;
  }

  public get address(): string {
    return this.#address;
  }

  public async onStart(): Promise<void> {
    const port = this.#config.get(dogstatsdKeys.tcpPort);
    if (port === 0) return;
    const address = await listenAddress(this.#config);
    try {
      // No host: Node's net listens on `::` (dual-stack), or on 0.0.0.0 where there is no IPv6.
      const netServer = await this.#connections.listen(address.dualStack ? { port } : { port, host: address.host });
      const bound = netServer.address() as AddressInfo;
      this.#port = bound.port;
      this.#address = bound.address;
    } catch (error) {
      const where = formatHostPort(address.host, port);
      throw new DogstatsdError(DogstatsdErrorCode.ListenerStart, `dogstatsd_tcp_port: cannot listen on TCP ${where} (from ${address.key}): ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#log.info(
      { host: this.#address, port: this.#port, dualStack: address.dualStack },
      `DogStatsD listening on TCP ${formatHostPort(this.#address, this.#port)}${address.dualStack ? ' (IPv4 and IPv6)' : ''}`,
    );
  }

  public async onStop(signal?: AbortSignal): Promise<void> {
    await this.#connections.close(drainSignal(this.#config, signal));
    this.#port = 0;
    this.#address = '';
  }

  public telemetry(): Record<string, number> {
    return this.#connections.telemetry();
  }
}
