import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG, inject, injectable, LOGGER, type ConfigReader, type Logger } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';
import { DOGSTATSD_SERVER, type DogstatsdServer } from '../server/server.def.js';
import type { UdpListener } from './listener.def.js';
import { readUdpSocketQueue, udpSocketInodes, type UdpSocketQueue } from './proc-net.js';

/** How often the stop drain looks at the kernel queue. */
const DRAIN_POLL_MS = 5;
/** Where /proc is missing: stop once no datagram arrived for this long. */
export const QUIET_PERIOD_MS = 50;
/** telemetry() reads /proc at most this often (it must stay cheap). */
const KERNEL_STATS_MAX_AGE_MS = 1000;

/**
 * UDP on `dogstatsd_port`, bound to 127.0.0.1 unless `dogstatsd_non_local_traffic`. Each
 * datagram is one packet for the server (Node reads one datagram per `recvmsg`: no
 * coalescing is needed to amortise anything on this side). On stop it keeps reading until the
 * kernel queue of the socket (`rx_queue` in /proc/net/udp) is empty, bounded by
 * `dogstatsd_drain_timeout_ms`, then closes: closing earlier loses what clients already sent.
 */
@injectable()
export class DgramUdpListener implements UdpListener {
  readonly #server: DogstatsdServer;
  readonly #config: ConfigReader;
  readonly #log: Logger;
  #socket: Socket | undefined;
  #inodes: readonly string[] = [];
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
  ) {
    this.#server = server;
    this.#config = config;
    this.#log = logger.child({ component: 'UdpListener' });
  }

  public get listening(): boolean {
    return this.#socket !== undefined;
  }

  public get port(): number {
    return this.#port;
  }

  public get recvBufferBytes(): number {
    return this.#recvBufferBytes;
  }

  public async onStart(): Promise<void> {
    const port = this.#config.get(dogstatsdKeys.port);
    if (port < 0) {
      this.#log.debug('UDP listener off (dogstatsd_port = -1)');
      return;
    }
    const host = this.#config.get(dogstatsdKeys.nonLocalTraffic) ? '0.0.0.0' : '127.0.0.1';
    const requested = this.#config.get(dogstatsdKeys.soRcvbuf);
    const socket = createSocket({ type: 'udp4', ...(requested > 0 ? { recvBufferSize: requested } : {}) });
    socket.on('message', this.#onMessage);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      socket.close();
      throw new DogstatsdError(DogstatsdErrorCode.ListenerStart, `dogstatsd_port: cannot listen on UDP ${host}:${port}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    socket.on('error', (error) => {
      // Never thrown out of a socket callback: counted, logged, and reading goes on.
      this.#readErrors += 1;
      this.#log.warn({ err: error }, 'UDP socket error');
    });
    this.#socket = socket;
    this.#port = socket.address().port;
    this.#recvBufferBytes = socket.getRecvBufferSize();
    this.#inodes = udpSocketInodes(socket);
    this.#log.info({ host, port: this.#port, recvBufferBytes: this.#recvBufferBytes }, `DogStatsD listening on UDP ${host}:${this.#port}`);
    this.#checkRecvBuffer(requested);
  }

  public async onStop(signal?: AbortSignal): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return;
    const left = await this.#drain(this.#config.get(dogstatsdKeys.drainTimeoutMs), signal);
    this.#socket = undefined;
    const kernel = this.#readKernel(true);
    await new Promise<void>((resolve) => socket.close(() => resolve()));
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
      ...(kernel === undefined ? {} : { kernel_drops: kernel.drops, kernel_queue_bytes: kernel.rxQueueBytes }),
    };
  }

  readonly #onMessage = (packet: Buffer): void => {
    this.#packets += 1;
    this.#bytes += packet.length;
    this.#lastMessageAt = performance.now();
    this.#server.enqueue(packet, 'udp');
  };

  /** Reads on until the kernel queue is empty; returns the bytes left when time ran out. */
  async #drain(timeoutMs: number, signal: AbortSignal | undefined): Promise<number> {
    const stopAt = performance.now();
    const deadline = stopAt + timeoutMs;
    const viaProc = readUdpSocketQueue(this.#inodes, this.#port) !== undefined;
    for (;;) {
      if (viaProc) {
        // Datagrams libuv has read are already in the server's queue (delivered synchronously).
        const queued = readUdpSocketQueue(this.#inodes, this.#port)?.rxQueueBytes ?? 0;
        if (queued === 0) return 0;
        if (performance.now() >= deadline || signal?.aborted === true) return queued;
      } else {
        // Measured from the stop too: queued datagrams are read only when the loop polls again.
        const quiet = performance.now() - Math.max(this.#lastMessageAt, stopAt) >= QUIET_PERIOD_MS;
        if (quiet || performance.now() >= deadline || signal?.aborted === true) return 0;
      }
      await sleep(DRAIN_POLL_MS);
    }
  }

  #readKernel(force: boolean): UdpSocketQueue | undefined {
    const now = performance.now();
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
