import { token, type TelemetrySource } from '@agentkit/core';
import type { PacketSource } from '../server/server.def.js';

/**
 * A DogStatsD listener: reads one transport and hands packets to the server it injects (so it
 * starts after the server and stops before it). An unconfigured listener starts as a no-op;
 * a configured one that cannot listen fails the start with an error naming its config key.
 * On stop it reads what its socket already holds (bounded by `dogstatsd_drain_timeout_ms`)
 * before closing. `telemetry()` may be called at any time.
 */
export interface DogstatsdListener extends TelemetrySource {
  /** True between a successful start (with the transport configured) and stop. */
  readonly listening: boolean;
}

/** UDP on `dogstatsd_port` (off when it is 0 or negative, as in the Agent). */
export interface UdpListener extends DogstatsdListener {
  /** The bound port; 0 when not listening. */
  readonly port: number;
  /** The bound IP address (`::` for every interface, IPv4 included); empty when not listening. */
  readonly address: string;
  /** SO_RCVBUF as the kernel granted it (Linux reports twice the usable size); 0 when not listening. */
  readonly recvBufferBytes: number;
}

/** Newline-delimited TCP on `dogstatsd_tcp_port`. */
export interface TcpListener extends DogstatsdListener {
  /** The bound port; 0 when not listening. */
  readonly port: number;
  /** The bound IP address (`::` for every interface, IPv4 included); empty when not listening. */
  readonly address: string;
}

/** Unix sockets: datagram on `dogstatsd_socket`, stream on `dogstatsd_stream_socket`. */
export interface UnixSocketListener extends DogstatsdListener {
  /** The socket path; empty when not listening. */
  readonly path: string;
}

/** For tests: injects packets as if a socket had received them. */
export interface MemoryListener {
  /**
   * Hands `packet` to the server as coming from `source` (default `udp`, which decides the
   * `dogstatsd_eol_required` rule). A string is encoded as UTF-8. Synchronous; the server
   * parses it on its next turn (or at once with `server.flush()`).
   */
  inject(packet: Buffer | string, source?: PacketSource): void;
}

export const UDP_LISTENER = token<UdpListener>('UdpListener');
export const TCP_LISTENER = token<TcpListener>('TcpListener');
export const UDS_DATAGRAM_LISTENER = token<UnixSocketListener>('UdsDatagramListener');
export const UDS_STREAM_LISTENER = token<UnixSocketListener>('UdsStreamListener');
export const MEMORY_LISTENER = token<MemoryListener>('MemoryListener');
