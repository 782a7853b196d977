import { token, type ConfigReader, type Logger, type Token } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { bindUdpSocket, type BoundUdpSocket } from './udp-bind.js';

/**
 * What the prebound socket holds at most while the pipeline starts (tens of milliseconds: at a
 * million 100-byte lines a second, ~3 MB). Past it datagrams are dropped, counted and logged,
 * rather than growing without bound if the start stalls.
 */
export const PREBOUND_UDP_MAX_HELD_BYTES = 32 * 1024 * 1024;

/**
 * The DogStatsD UDP socket bound before the pipeline exists, for the UDP listener to take
 * over (`agentkit exec` binds it and starts its program while the components are still being
 * constructed and started). Until it is taken it reads every datagram into memory, in order,
 * so nothing a client sent meanwhile is lost: the listener replays them first (up to
 * {@link PREBOUND_UDP_MAX_HELD_BYTES}; what is past it is counted in `droppedWhileHeld` and logged).
 */
export class PreboundUdpSocket {
  readonly #bound: BoundUdpSocket;
  readonly #log: Logger;
  #queued: Buffer[] | undefined = [];
  readonly #maxHeldBytes: number;
  #heldBytes = 0;
  #droppedWhileHeld = 0;

  private constructor(bound: BoundUdpSocket, log: Logger, maxHeldBytes: number) {
    this.#bound = bound;
    this.#log = log;
    this.#maxHeldBytes = maxHeldBytes;
    bound.socket.on('message', this.#hold);
    bound.socket.on('error', this.#onError);
  }

  /**
   * Binds as the UDP listener would (`dogstatsd_port`, its address rules, `dogstatsd_so_rcvbuf`).
   * Undefined when UDP is off (port ≤ 0) or the bind fails: the listener then tries itself at
   * its start and reports the failure as it always does. `maxHeldBytes`: what it may hold before
   * the listener takes it.
   */
  public static async bind(config: ConfigReader, logger: Logger, maxHeldBytes = PREBOUND_UDP_MAX_HELD_BYTES): Promise<PreboundUdpSocket | undefined> {
    if (config.get(dogstatsdKeys.port) <= 0) return undefined;
    try {
      return new PreboundUdpSocket(await bindUdpSocket(config, logger, () => {}), logger, maxHeldBytes);
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

  /** Datagrams dropped because it held all it may (`maxHeldBytes`) already. */
  public get droppedWhileHeld(): number {
    return this.#droppedWhileHeld;
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
    if (this.#droppedWhileHeld > 0) {
      this.#log.warn(
        { dropped: this.#droppedWhileHeld, maxHeldBytes: this.#maxHeldBytes },
        'datagrams that arrived while the pipeline was starting were dropped: the prebound UDP socket held all it may',
      );
    }
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
    if (this.#queued === undefined) return;
    if (this.#heldBytes + packet.length > this.#maxHeldBytes) {
      this.#droppedWhileHeld++;
      return;
    }
    this.#heldBytes += packet.length;
    this.#queued.push(packet);
  };

  // A socket error (no listener: it would be thrown) is logged, and reading goes on, as the listener does.
  readonly #onError = (error: Error): void => {
    this.#log.warn({ err: error }, 'UDP socket error (prebound socket)');
  };
}

/** The prebound UDP socket, when the app is given one (`provide(PREBOUND_UDP_SOCKET, { useValue })`). */
export const PREBOUND_UDP_SOCKET: Token<PreboundUdpSocket> = token<PreboundUdpSocket>('PreboundUdpSocket');
