import { token, type TelemetrySource } from '@agentkit/core';

/**
 * `statsd_forward_host` / `statsd_forward_port`: sends every packet the DogStatsD server
 * receives, unchanged, to another StatsD server over UDP, before it is parsed (the Agent's
 * `forwarder` goroutine in comp/dogstatsd/server). Injected by the server, so it starts before
 * the server (the socket is open when the first packet comes) and stops after it (every packet
 * handed over has been sent, or counted as not sent, when its socket closes).
 */
export interface PacketForwarder extends TelemetrySource {
  /** True between a start with both keys set and a resolvable host, and stop. */
  readonly forwarding: boolean;
  /**
   * Sends `packet` as one datagram. The buffer is only read, until the send completes: the
   * caller must not modify it (the server never does). Never throws and never blocks: a send
   * that fails, or that would exceed the bounded backlog, is counted and logged. A no-op when
   * forwarding is off; counted (`dropped.not_connected`) when it is configured but its host
   * could not be resolved at start.
   */
  forward(packet: Buffer): void;
}

export const PACKET_FORWARDER = token<PacketForwarder>('PacketForwarder');
