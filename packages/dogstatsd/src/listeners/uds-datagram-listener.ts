import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG, inject, injectable, LOGGER, type ConfigReader, type Logger, monotonicNowMs } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { drainSignal } from './drain-signal.js';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';
import { DOGSTATSD_SERVER, type DogstatsdServer } from '../server/server.def.js';
import type { UnixSocketListener } from './listener.def.js';
import { DatagramReadBuffer } from './datagram-read-buffer.js';
import { checkSocketPathLength, removeSocketFile, removeStaleSocket, setSocketMode } from './socket-path.js';
import { QUIET_PERIOD_MS } from './udp-listener.js';

const DRAIN_POLL_MS = 5;
/** The addon reads every datagram into a buffer of this size and drops the rest unannounced. */
export const UNIX_DGRAM_ADDON_READ_BYTES = 65_536;

/** The part of the `unix-dgram` addon used here (it ships no types). */
interface UnixDgramSocket {
  on(event: 'error', listener: (error: Error) => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  removeAllListeners(event: 'error'): void;
  bind(path: string): void;
  close(): void;
}

interface UnixDgramModule {
  createSocket(type: 'unix_dgram', onMessage: (packet: Buffer) => void): UnixDgramSocket;
}

let cached: UnixDgramModule | Error | undefined;

/**
 * The `unix-dgram` addon, loaded on first use: it is optional and native (built through
 * `allowScripts`). Throws ERR_DOGSTATSD_UNIX_DGRAM_UNAVAILABLE, naming `dogstatsd_socket`,
 * when it cannot be loaded. `load` is for tests.
 */
export function loadUnixDgram(load?: () => unknown): UnixDgramModule {
  let addon: UnixDgramModule | Error;
  if (load === undefined) {
    // node:module at first use, not with this module: it loads Node's ES module loader with it (~0.3 ms of CPU before `agentkit exec` starts its program).
    cached ??= tryLoad(() => process.getBuiltinModule('node:module').createRequire(import.meta.url)('unix-dgram'));
    addon = cached;
  } else {
    addon = tryLoad(load);
  }
  if (addon instanceof Error) {
    throw new DogstatsdError(
      DogstatsdErrorCode.UnixDgramUnavailable,
      `dogstatsd_socket is set but the optional "unix-dgram" addon is not available (${addon.message}); install it (its build script must be allowed in package.json "allowScripts") or unset dogstatsd_socket`,
      { cause: addon },
    );
  }
  return addon;
}

function tryLoad(load: () => unknown): UnixDgramModule | Error {
  try {
    const module = load() as Partial<UnixDgramModule> | undefined;
    if (typeof module?.createSocket !== 'function') return new Error('it has no createSocket()');
    return module as UnixDgramModule;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Unix datagram socket on `dogstatsd_socket`, through the `unix-dgram` addon (Node has no
 * AF_UNIX datagrams). One datagram is one packet, cut to `dogstatsd_buffer_size` as the Agent's
 * read buffer cuts it (counted; the addon itself reads at most 64 KiB). The socket file gets mode 0722; a stale one
 * is removed at start. Linux exposes no queue length for Unix sockets, so the stop drain reads
 * until no datagram arrived for a short quiet period (bounded by `dogstatsd_drain_timeout_ms`).
 * The addon has no SO_PASSCRED, so there is no socket-credential origin detection.
 */
@injectable()
export class UnixDgramListener implements UnixSocketListener {
  readonly #server: DogstatsdServer;
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #cut: DatagramReadBuffer;
  #socket: UnixDgramSocket | undefined;
  #path = '';
  #packets = 0;
  #bytes = 0;
  #errors = 0;
  #lastMessageAt = 0;

  public constructor(
    @inject(DOGSTATSD_SERVER) server: DogstatsdServer,
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
  ) {
    this.#server = server;
    this.#config = config;
    this.#log = logger.child({ component: 'UdsDatagramListener' });
    this.#cut = new DatagramReadBuffer(this.#log, config.get(dogstatsdKeys.bufferSize));
  }

  public get listening(): boolean {
    return this.#socket !== undefined;
  }

  public get path(): string {
    return this.#path;
  }

  public onStart(): void {
    const path = this.#config.get(dogstatsdKeys.socket);
    if (path === '') return;
    checkSocketPathLength(path, 'dogstatsd_socket');
    const unixDgram = loadUnixDgram();
    removeStaleSocket(path, 'dogstatsd_socket');
    const socket = unixDgram.createSocket('unix_dgram', this.#onMessage);
    let bindError: Error | undefined;
    // The addon emits a bind error synchronously, from bind().
    socket.once('error', (error) => {
      bindError = error;
    });
    try {
      socket.bind(path);
      if (bindError === undefined) setSocketMode(path);
    } catch (error) {
      bindError = error as Error;
    }
    if (bindError !== undefined) {
      safeClose(socket);
      throw new DogstatsdError(DogstatsdErrorCode.ListenerStart, `dogstatsd_socket: cannot listen on "${path}": ${bindError.message}`, { cause: bindError });
    }
    socket.removeAllListeners('error');
    socket.on('error', (error) => {
      this.#errors += 1;
      this.#log.warn({ err: error }, 'Unix datagram socket error');
    });
    this.#socket = socket;
    this.#path = path;
    this.#log.info({ path, bufferSizeBytes: this.#cut.sizeBytes }, `DogStatsD listening on Unix datagram socket ${path}`);
    if (this.#cut.sizeBytes > UNIX_DGRAM_ADDON_READ_BYTES) {
      this.#log.warn(
        { bufferSizeBytes: this.#cut.sizeBytes, addonReadBytes: UNIX_DGRAM_ADDON_READ_BYTES },
        'dogstatsd_buffer_size is over 64 KiB: the unix-dgram addon reads at most 64 KiB of a Unix datagram and drops the rest without telling, so such datagrams cannot be counted as cut',
      );
    }
  }

  public async onStop(signal?: AbortSignal): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return;
    const stopAt = monotonicNowMs();
    const drain = drainSignal(this.#config, signal);
    // Quiet since the later of the last datagram and the stop: what is queued now is only read
    // once the event loop polls again, so a full quiet period must pass after the stop began.
    while (monotonicNowMs() - Math.max(this.#lastMessageAt, stopAt) < QUIET_PERIOD_MS && !drain.aborted) {
      await sleep(DRAIN_POLL_MS);
    }
    this.#socket = undefined;
    safeClose(socket);
    removeSocketFile(this.#path);
    this.#path = '';
    this.#cut.flushLog();
  }

  public telemetry(): Record<string, number> {
    return {
      listening: this.#socket === undefined ? 0 : 1,
      packets: this.#packets,
      bytes: this.#bytes,
      read_errors: this.#errors,
      ...this.#cut.telemetry(),
    };
  }

  readonly #onMessage = (packet: Buffer): void => {
    this.#packets += 1;
    this.#bytes += packet.length;
    this.#lastMessageAt = monotonicNowMs();
    this.#server.enqueue(this.#cut.apply(packet), 'uds');
  };
}

function safeClose(socket: UnixDgramSocket): void {
  try {
    socket.close();
  } catch {
    // Already closed.
  }
}
