import { token } from '@agentkit/core';

/**
 * The transport a packet came from; it decides whether `dogstatsd_eol_required` applies
 * (`uds` covers both Unix datagram and Unix stream sockets, as in the Agent). `http` is the APM
 * receiver's `/dogstatsd/v2/proxy`: whole newline-separated lines from a tracer, never subject
 * to `dogstatsd_eol_required` (the Agent splits the body at newlines before handing it on).
 */
export type PacketSource = 'udp' | 'uds' | 'tcp' | 'http';

/**
 * The DogStatsD server: takes packets from the listeners, parses and enriches them and hands
 * samples, events and service checks to the demultiplexer (which it injects, so it starts
 * before the listeners and stops after them). On stop it parses everything queued, flushes
 * every batch and returns once the demultiplexer has accepted all of it.
 */
export interface DogstatsdServer {
  /**
   * Hands over one packet: a datagram, a stream frame, or whole lines of a TCP stream.
   * Ownership of `packet` passes to the server (do not reuse or modify it). Never throws.
   * Returns at once, except when the queue (`dogstatsd_queue_size`) is full: then it parses
   * the queue first, which is the back-pressure (the socket is not read meanwhile). Before
   * start and after stop the packet is dropped and counted (`dropped.not_running`).
   */
  enqueue(packet: Buffer, source: PacketSource): void;
  /** Parses everything queued and hands every partial batch to the demultiplexer, now. */
  flush(): void;
}

export const DOGSTATSD_SERVER = token<DogstatsdServer>('DogstatsdServer');
