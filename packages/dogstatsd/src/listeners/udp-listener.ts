import type { Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG, inject, injectable, LOGGER, optional, type ConfigReader, type Logger, monotonicNowMs } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { drainSignal } from './drain-signal.js';
import { DOGSTATSD_SERVER, type DogstatsdServer } from '../server/server.def.js';
import type { UdpListener } from './listener.def.js';
import { DatagramReadBuffer } from './datagram-read-buffer.js';
import { formatHostPort } from './listen-address.js';
import { PREBOUND_UDP_SOCKET, type PreboundUdpSocket } from './prebound-udp.js';
import { bindUdpSocket } from './udp-bind.js';
import { readUdpSocketQueue, udpSocketInodes, type UdpSocketQueue } from './proc-net.js';

/** How often the stop drain looks at the kernel queue. */
const DRAIN_POLL_MS = 5;
/** Where /proc is missing: stop once no datagram arrived for this long. */
export const QUIET_PERIOD_MS = 50;
/** telemetry() reads /proc at most this often (it must stay cheap). */
const KERNEL_STATS_MAX_AGE_MS = 1000;

/**
 * UDP on `dogstatsd_port` (off unless positive, as in the Agent), bound to `bind_host`
 * (default localhost: 127.0.0.1), or to every interface, IPv4 and IPv6, with
 * `dogstatsd_non_local_traffic` (see {@link listenAddress}). Each datagram is one packet for
 * the server, cut to `dogstatsd_buffer_size` as the Agent's read buffer cuts it (counted). Node
 * reads one datagram per `recvmsg`: no coalescing is needed to amortise anything on this side. On stop it keeps reading until the
 * kernel queue of the socket (`rx_queue` in /proc/net/udp) is empty, bounded by
 * `dogstatsd_drain_timeout_ms`, then closes: closing earlier loses what clients already sent.
 */
@injectable()
export class DgramUdpListener implements UdpListener {
  readonly #server: DogstatsdServer;
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #cut: DatagramReadBuffer;
  readonly #prebound: PreboundUdpSocket | undefined;
  #socket: Socket | undefined;
  #inodes: readonly string[] = [];
  #address = '';
  #port = 0;
  #recvBufferBytes = 0;
  #packets = 0;
  #bytes = 0;
  #readErrors = 0;
  #lastMessageAt = 0;
  #kernel: UdpSocketQueue | undefined;
  #kernelReadAt = -Infinity;

  public constructor(
    @inject(DOGSTATSD_SERVER) server: DogstatsdServer,
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
    @inject(PREBOUND_UDP_SOCKET) @optional() prebound?: PreboundUdpSocket,
  ) {
    this.#prebound = prebound;
    this.#server = server;
    this.#config = config;
    this.#log = logger.child({ component: 'UdpListener' });
    this.#cut = new DatagramReadBuffer(this.#log, config.get(dogstatsdKeys.bufferSize));
  }

  public get listening(): boolean {
    return this.#socket !== undefined;
  }

  public get port(): number {
    return this.#port;
  }

  public get address(): string {
    return this.#address;
  }

  public get recvBufferBytes(): number {
    return this.#recvBufferBytes;
  }

  public async onStart(): Promise<void> {
    const port = this.#config.get(dogstatsdKeys.port);
    if (port <= 0) {
      // The Agent's rule: UDP only for a positive port (0, the usual choice beside a Unix socket, is off).
      this.#log.info({ port }, `DogStatsD UDP listener off (dogstatsd_port ${port})`);
      return;
    }
    const requested = this.#config.get(dogstatsdKeys.soRcvbuf);
    // Bound already (agentkit exec binds it before the pipeline exists): taken with the datagrams it held.
    const { socket, address } = this.#prebound?.take(this.#onMessage) ?? (await bindUdpSocket(this.#config, this.#log, this.#onMessage));
    socket.on('error', (error) => {
      // Never thrown out of a socket callback: counted, logged, and reading goes on.
      this.#readErrors += 1;
      this.#log.warn({ err: error }, 'UDP socket error');
    });
    this.#socket = socket;
    const bound = socket.address();
    this.#address = bound.address;
    this.#port = bound.port;
    this.#recvBufferBytes = socket.getRecvBufferSize();
    this.#inodes = udpSocketInodes(socket);
    this.#log.info(
      { host: bound.address, port: this.#port, dualStack: address.dualStack, recvBufferBytes: this.#recvBufferBytes, bufferSizeBytes: this.#cut.sizeBytes },
      `DogStatsD listening on UDP ${formatHostPort(bound.address, this.#port)}${address.dualStack ? ' (IPv4 and IPv6)' : ''}`,
    );
    this.#checkRecvBuffer(requested);
  }

  public async onStop(signal?: AbortSignal): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return;
    const left = await this.#drain(drainSignal(this.#config, signal));
    this.#socket = undefined;
    const kernel = this.#readKernel(true);
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.#cut.flushLog();
    this.#address = '';
    if (left > 0) this.#log.warn({ rxQueueBytes: left }, 'UDP drain timed out (dogstatsd_drain_timeout_ms): queued datagrams were lost');
    if (kernel !== undefined && kernel.drops > 0) {
      this.#log.warn({ kernelDrops: kernel.drops }, 'the kernel dropped UDP datagrams (receive buffer full; raise dogstatsd_so_rcvbuf and net.core.rmem_max)');
    }
  }

  public telemetry(): Record<string, number> {
    const kernel = this.#readKernel(false);
    return {
      listening: this.#socket === undefined ? 0 : 1,
      packets: this.#packets,
      bytes: this.#bytes,
      read_errors: this.#readErrors,
      recv_buffer_bytes: this.#recvBufferBytes,
      ...this.#cut.telemetry(),
      ...(kernel === undefined ? {} : { kernel_drops: kernel.drops, kernel_queue_bytes: kernel.rxQueueBytes }),
    };
  }

  readonly #onMessage = (packet: Buffer): void => {
    this.#packets += 1;
    this.#bytes += packet.length;
    this.#lastMessageAt = monotonicNowMs();
    this.#server.enqueue(this.#cut.apply(packet), 'udp');
  };

  /** Reads on until the kernel queue is empty or `signal` aborts; returns the bytes left when time ran out. */
  async #drain(signal: AbortSignal): Promise<number> {
    const stopAt = monotonicNowMs();
    const viaProc = readUdpSocketQueue(this.#inodes, this.#port) !== undefined;
    for (;;) {
      if (viaProc) {
        // Datagrams libuv has read are already in the server's queue (delivered synchronously).
        const queued = readUdpSocketQueue(this.#inodes, this.#port)?.rxQueueBytes ?? 0;
        if (queued === 0) return 0;
        if (signal.aborted) return queued;
      } else {
        // Measured from the stop too: queued datagrams are read only when the loop polls again.
        const quiet = monotonicNowMs() - Math.max(this.#lastMessageAt, stopAt) >= QUIET_PERIOD_MS;
        if (quiet || signal.aborted) return 0;
      }
      await sleep(DRAIN_POLL_MS);
    }
  }

  #readKernel(force: boolean): UdpSocketQueue | undefined {
    const now = monotonicNowMs();
    if (force || now - this.#kernelReadAt >= KERNEL_STATS_MAX_AGE_MS) {
      this.#kernelReadAt = now;
      if (this.#socket !== undefined || force) this.#kernel = readUdpSocketQueue(this.#inodes, this.#port) ?? this.#kernel;
    }
    return this.#kernel;
  }

  #checkRecvBuffer(requested: number): void {
    if (requested <= 0) return;
    // Linux doubles SO_RCVBUF (bookkeeping overhead) and caps the request at net.core.rmem_max.
    const expected = process.platform === 'linux' ? requested * 2 : requested;
    if (this.#recvBufferBytes >= expected) return;
    this.#log.warn(
      { requestedBytes: requested, grantedBytes: this.#recvBufferBytes, rmemMaxBytes: readRmemMax() },
      'dogstatsd_so_rcvbuf was capped by the kernel: raise net.core.rmem_max (sysctl) to keep bursts from being dropped',
    );
  }
}

function readRmemMax(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/net/core/rmem_max', 'latin1').trim());
  } catch {
    return undefined;
  }
}
