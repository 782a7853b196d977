import { createSocket, type Socket } from 'node:dgram';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import type { Bundle, Replacement } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';

import { dogstatsdBundle, memoryListenerBundle } from '@agentkit/dogstatsd';
import { dsdConfig, RecordingLogger } from './helpers.js';

/** Sends each packet as one datagram to 127.0.0.1:`port`, in order. */
export async function sendUdp(port: number, packets: readonly (string | Buffer)[]): Promise<void> {
  const client = createSocket('udp4');
  for (const packet of packets) {
    await new Promise<void>((resolve, reject) => client.send(packet, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  }
  await new Promise<void>((resolve) => client.close(resolve));
}

/** A UDP socket that keeps every datagram it receives. */
export interface UdpReceiver {
  readonly port: number;
  readonly datagrams: Buffer[];
  close(): Promise<void>;
}

export async function udpReceiver(type: 'udp4' | 'udp6' = 'udp4'): Promise<UdpReceiver> {
  const socket: Socket = createSocket(type);
  const datagrams: Buffer[] = [];
  socket.on('message', (message) => datagrams.push(message));
  await new Promise<void>((resolve) => socket.bind(0, type === 'udp6' ? '::1' : '127.0.0.1', resolve));
  // A test that fails before close() must not keep jest from exiting.
  socket.unref();
  return {
    port: socket.address().port,
    datagrams,
    close: () => new Promise<void>((resolve) => socket.close(resolve)),
  };
}

/**
 * A running-to-be DogStatsD bundle on UDP port `port` (and the memory listener), with a fake
 * demultiplexer; `values` are config overrides.
 */
export function udpApp(port: number, values: Record<string, unknown> = {}, extra: readonly (Bundle | Replacement)[] = []) {
  const demux = new FakeDemultiplexer();
  const logger = new RecordingLogger();
  const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle, memoryListenerBundle, ...extra], {
    config: dsdConfig({ dogstatsd_port: port, ...values }),
    logger,
  });
  return { app, demux, logger };
}
