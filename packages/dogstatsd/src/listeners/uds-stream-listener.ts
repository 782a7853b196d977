import { CONFIG, inject, injectable, LOGGER, type ConfigReader, type Logger } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { drainSignal } from './drain-signal.js';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';
import { DOGSTATSD_SERVER, type DogstatsdServer } from '../server/server.def.js';
import { LengthPrefixFramer } from './framing.js';
import type { UnixSocketListener } from './listener.def.js';
import { checkSocketPathLength, removeSocketFile, removeStaleSocket, setSocketMode } from './socket-path.js';
import { StreamConnections } from './stream-connections.js';

/**
 * Unix stream socket on `dogstatsd_stream_socket`: each payload is prefixed by its length
 * (4 bytes, little-endian); a frame over `dogstatsd_buffer_size` or a connection that ends
 * mid-frame closes that connection, counted (`dropped.frame_too_big`, `dropped.broken_frame`).
 */
@injectable()
export class NetUnixStreamListener implements UnixSocketListener {
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #connections: StreamConnections;
  #path = '';

  public constructor(
    @inject(DOGSTATSD_SERVER) server: DogstatsdServer,
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
  ) {
    this.#config = config;
    this.#log = logger.child({ component: 'UdsStreamListener' });
    const maxFrameBytes = config.get(dogstatsdKeys.bufferSize);
    this.#connections = new StreamConnections({
      server,
      source: 'uds',
      log: this.#log,
      framer: (onPacket) => new LengthPrefixFramer(maxFrameBytes, onPacket),
      tooBigReason: 'frame_too_big',
    });
  }

  public get listening(): boolean {
    return this.#connections.listening;
  }

  public get path(): string {
    return this.#path;
  }

  public async onStart(): Promise<void> {
    const path = this.#config.get(dogstatsdKeys.streamSocket);
    if (path === '') return;
    checkSocketPathLength(path, 'dogstatsd_stream_socket');
    removeStaleSocket(path, 'dogstatsd_stream_socket');
    try {
      await this.#connections.listen({ path });
      setSocketMode(path);
    } catch (error) {
      await this.#connections.close(AbortSignal.abort());
      throw new DogstatsdError(DogstatsdErrorCode.ListenerStart, `dogstatsd_stream_socket: cannot listen on "${path}": ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#path = path;
    this.#log.info({ path }, `DogStatsD listening on Unix stream socket ${path}`);
  }

  public async onStop(signal?: AbortSignal): Promise<void> {
    if (this.#path === '') return;
    await this.#connections.close(drainSignal(this.#config, signal));
    removeSocketFile(this.#path);
    this.#path = '';
  }

  public telemetry(): Record<string, number> {
    return this.#connections.telemetry();
  }
}
