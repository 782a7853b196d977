import { token, type ConfigReader, type Logger, type Token } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { bindUdpSocket, type BoundUdpSocket } from './udp-bind.js';

/**
 * The DogStatsD UDP socket bound before the pipeline exists, for the UDP listener to take
 * over (`agentkit exec` binds it and starts its program while the components are still being
 * constructed and started). Until it is taken it reads every datagram into memory, in order,
 * so nothing a client sent meanwhile is lost: the listener replays them first.
 */
export class PreboundUdpSocket {
  readonly #bound: BoundUdpSocket;
  readonly #log: Logger;
  #queued: Buffer[] | undefined = [];

  private constructor(bound: BoundUdpSocket, log: Logger) {
    this.#bound = bound;
    this.#log = log;
    bound.socket.on('message', this.#hold);
    bound.socket.on('error', this.#onError);
  }

  /**
   * Binds as the UDP listener would (`dogstatsd_port`, its address rules, `dogstatsd_so_rcvbuf`).
   * Undefined when UDP is off (port ≤ 0) or the bind fails: the listener then tries itself at
   * its start and reports the failure as it always does.
   */
  public static async bind(config: ConfigReader, logger: Logger): Promise<PreboundUdpSocket | undefined> {
    if (config.get(dogstatsdKeys.port) <= 0) return undefined;
    try {
      return new PreboundUdpSocket(await bindUdpSocket(config, logger, () => {}), logger);
    } catch {
      return undefined;
    }
  }

  /** The port it is bound to. */
  public get port(): number {
    return this.#bound.socket.address().port;
  }

  /** How many datagrams it holds for the listener (0 once taken). */
  public get held(): number {
    return this.#queued?.length ?? 0;
  }

  /** True once the listener took it. */
  public get taken(): boolean {
    return this.#queued === undefined;
  }

  /**
   * Hands the socket over: `onMessage` gets the datagrams held so far, in order, then every
   * next one. Undefined when it was taken already (one listener owns it).
   */
  public take(onMessage: (packet: Buffer) => void): BoundUdpSocket | undefined {
    const queued = this.#queued;
    if (queued === undefined) return undefined;
    this.#queued = undefined;
    const { socket } = this.#bound;
    socket.off('message', this.#hold);
    socket.off('error', this.#onError);
    socket.on('message', onMessage);
    for (const packet of queued) onMessage(packet);
    return this.#bound;
  }

  /** Closes it when no listener took it; resolves to the number of datagrams held, which are lost. */
  public async closeUntaken(): Promise<number> {
    const queued = this.#queued;
    if (queued === undefined) return 0;
    this.#queued = undefined;
    await new Promise<void>((resolve) => this.#bound.socket.close(() => resolve()));
    return queued.length;
  }

  readonly #hold = (packet: Buffer): void => {
    this.#queued?.push(packet);
  };

  // A socket error (no listener: it would be thrown) is logged, and reading goes on, as the listener does.
  readonly #onError = (error: Error): void => {
    this.#log.warn({ err: error }, 'UDP socket error (prebound socket)');
  };
}

/** The prebound UDP socket, when the app is given one (`provide(PREBOUND_UDP_SOCKET, { useValue })`). */
export const PREBOUND_UDP_SOCKET: Token<PreboundUdpSocket> = token<PreboundUdpSocket>('PreboundUdpSocket');
