import { createSocket, type Socket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG, DropCounter, inject, injectable, LOGGER, type ConfigReader, type Logger } from '@agentkit/core';
import { dogstatsdFilterKeys } from '../config-keys.js';
import type { PacketForwarder } from './packet-forwarder.def.js';

/**
 * Datagrams waiting in libuv's send queue (the kernel would not take them at once) beyond which
 * a packet is not forwarded (counted): forwarding must never hold memory without bound or slow
 * ingestion down. On loopback and healthy networks sends complete synchronously and the queue
 * stays empty.
 */
export const DEFAULT_MAX_QUEUED_SENDS = 4096;
/** On stop, how often to look whether the send queue is empty. */
const STOP_POLL_MS = 5;

/**
 * Forwards over a connected UDP socket (the Agent's `net.Dial("udp", host:port)`): the host is
 * resolved once at start, and a connected socket also reports ICMP errors (`ECONNREFUSED` when
 * nothing listens at the target), which are counted. Errors never reach ingestion: each is
 * counted in `errors.<code>` and logged at most once per second per code.
 */
@injectable()
export class UdpPacketForwarder implements PacketForwarder {
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #errors: DropCounter;
  readonly #drops: DropCounter;
  #socket: Socket | undefined;
  /** Configured, but the host did not resolve or the socket did not connect at start. */
  #failed = false;
  #target = '';
  #packets = 0;
  #bytes = 0;

  public constructor(@inject(CONFIG) config: ConfigReader, @inject(LOGGER) logger: Logger) {
    this.#config = config;
    this.#log = logger.child({ component: 'PacketForwarder' });
    this.#errors = new DropCounter(this.#log);
    this.#drops = new DropCounter(this.#log);
  }

  public get forwarding(): boolean {
    return this.#socket !== undefined;
  }

  /** `host:port` forwarded to; empty when off. */
  public get target(): string {
    return this.#target;
  }

  /** Opens the socket. A host that does not resolve is a warning, not a failed start (as in the Agent). */
  public async onStart(): Promise<void> {
    const host = this.#config.get(dogstatsdFilterKeys.forwardHost);
    const port = this.#config.get(dogstatsdFilterKeys.forwardPort);
    if (host === '' || port === 0) {
      if (host !== '') this.#log.warn({ host }, 'statsd_forward_host is set but statsd_forward_port is 0: packets are not forwarded');
      if (port !== 0) this.#log.warn({ port }, 'statsd_forward_port is set but statsd_forward_host is empty: packets are not forwarded');
      return;
    }
    this.#target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    let socket: Socket | undefined;
    try {
      // Bounded by the start hook's timeout, as the Agent's net.Dial blocks its start.
      // node:dns/promises only when forwarding is configured (see listen-address.ts).
      const { address, family } = await process.getBuiltinModule('node:dns/promises').lookup(host);
      socket = createSocket(family === 6 ? 'udp6' : 'udp4');
      socket.on('error', this.#onError);
      const connecting = socket;
      await new Promise<void>((resolve, reject) => {
        connecting.once('error', reject);
        connecting.connect(port, address, () => {
          connecting.off('error', reject);
          resolve();
        });
      });
      // The listeners keep the process alive while the agent runs; this socket need not.
      socket.unref();
      this.#socket = socket;
      this.#log.info({ target: this.#target, address }, 'forwarding every DogStatsD packet (statsd_forward_host)');
    } catch (error) {
      socket?.close();
      this.#failed = true;
      this.#log.warn(
        { err: error, target: this.#target },
        `statsd_forward_host: cannot forward to ${this.#target}: ${(error as Error).message}; packets are not forwarded`,
      );
    }
  }

  public forward(packet: Buffer): void {
    const socket = this.#socket;
    if (socket === undefined) {
      if (this.#failed) this.#drops.drop('not_connected');
      return;
    }
    if (socket.getSendQueueCount() >= DEFAULT_MAX_QUEUED_SENDS) {
      this.#drops.drop('send_queue_full', 1, { target: this.#target });
      return;
    }
    this.#packets += 1;
    this.#bytes += packet.length;
    try {
      // A callback is needed: without one, Node drops synchronous send errors (EMSGSIZE) silently.
      socket.send(packet, this.#onSent);
    } catch (error) {
      this.#onError(error as Error);
    }
  }

  /** Waits (bounded by `signal`) for queued sends to leave, then closes; what is left is counted. */
  public async onStop(signal?: AbortSignal): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return;
    while (socket.getSendQueueCount() > 0 && signal?.aborted !== true) await sleep(STOP_POLL_MS);
    const left = socket.getSendQueueCount();
    this.#socket = undefined;
    if (left > 0) this.#drops.drop('stopped', left, { target: this.#target });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.#errors.flushLog();
    this.#drops.flushLog();
    this.#log.debug({ ...this.telemetry() }, 'packet forwarder stopped');
  }

  public telemetry(): Record<string, number> {
    return {
      packets: this.#packets,
      bytes: this.#bytes,
      queued_sends: this.#socket?.getSendQueueCount() ?? 0,
      ...this.#errors.snapshot('errors'),
      ...this.#drops.snapshot(),
    };
  }

  readonly #onSent = (error: Error | null): void => {
    if (error !== null) this.#onError(error);
  };

  readonly #onError = (error: Error): void => {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    this.#errors.drop(code, 1, { target: this.#target, err: error.message });
  };
}
