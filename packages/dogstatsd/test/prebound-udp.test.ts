import { describe, expect, it } from '@jest/globals';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import { bundle, provide } from '@agentkit/core';
import { createTestApp, freeUdpPort } from '@agentkit/core/testing';
import { dogstatsdBundle, PREBOUND_UDP_SOCKET, PreboundUdpSocket, UDP_LISTENER } from '@agentkit/dogstatsd';
import { dsdConfig, RecordingLogger, waitFor } from './helpers.js';
import { sendUdp } from './udp-helpers.js';

// agentkit exec binds the UDP socket before the pipeline exists (PreboundUdpSocket); the
// listener takes it over at its start with the datagrams it held meanwhile.
describe('PreboundUdpSocket', () => {
  it('holds what arrives before the listener starts, and the listener takes it with those datagrams first, in order', async () => {
    const config = dsdConfig({ dogstatsd_port: await freeUdpPort() });
    const logger = new RecordingLogger();
    const prebound = await PreboundUdpSocket.bind(config, logger);
    if (prebound === undefined) throw new Error('the bind failed');
    await sendUdp(prebound.port, ['early.a:1|c', 'early.b:2|c']);
    const demux = new FakeDemultiplexer();
    const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle, bundle('prebound', [provide(PREBOUND_UDP_SOCKET, { useValue: prebound })])], { config, logger });
    // Read and held before the listener exists.
    await waitFor(() => prebound.held === 2, 'two held datagrams');
    await app.start();
    expect(prebound.taken).toBe(true);
    expect(app.get(UDP_LISTENER).port).toBe(prebound.port);
    await sendUdp(prebound.port, ['late.c:3|c']);
    await waitFor(() => demux.samples.length === 3, 'three samples');
    expect(demux.samples.map((s) => s.name)).toEqual(['early.a', 'early.b', 'late.c']);
    expect(app.telemetry()['UdpListener']).toMatchObject({ packets: 3 });
    await app.stop();
    // The listener closed it at its stop: nothing left to close, nothing lost.
    expect(await prebound.closeUntaken()).toBe(0);
  });

  it('is undefined for dogstatsd_port 0 and for a port in use (the listener then reports it itself)', async () => {
    const logger = new RecordingLogger();
    expect(await PreboundUdpSocket.bind(dsdConfig({ dogstatsd_port: 0 }), logger)).toBeUndefined();
    const config = dsdConfig({ dogstatsd_port: await freeUdpPort() });
    const first = await PreboundUdpSocket.bind(config, logger);
    expect(first).toBeDefined();
    expect(await PreboundUdpSocket.bind(config, logger)).toBeUndefined();
    expect(await first?.closeUntaken()).toBe(0);
  });

  it('counts the datagrams it held when no listener took it', async () => {
    const prebound = await PreboundUdpSocket.bind(dsdConfig({ dogstatsd_port: await freeUdpPort() }), new RecordingLogger());
    if (prebound === undefined) throw new Error('the bind failed');
    await sendUdp(prebound.port, ['a:1|c', 'b:1|c', 'c:1|c']);
    await waitFor(() => prebound.held === 3, 'three held datagrams');
    expect(await prebound.closeUntaken()).toBe(3);
    expect(prebound.take(() => {})).toBeUndefined();
  });

  it('holds at most maxHeldBytes: what is past it is dropped, counted and logged when the listener takes it', async () => {
    const config = dsdConfig({ dogstatsd_port: await freeUdpPort() });
    const logger = new RecordingLogger();
    const prebound = await PreboundUdpSocket.bind(config, logger, 24);
    if (prebound === undefined) throw new Error('the bind failed');
    await sendUdp(prebound.port, ['first.x:1|c', 'second:1|c', 'third.y:1|c']);
    await waitFor(() => prebound.held + prebound.droppedWhileHeld === 3, 'three datagrams read');
    expect(prebound.held).toBe(2);
    expect(prebound.droppedWhileHeld).toBe(1);
    const taken: string[] = [];
    const bound = prebound.take((packet) => taken.push(packet.toString()));
    expect(taken).toEqual(['first.x:1|c', 'second:1|c']);
    expect(logger.lines.some((line) => line.level === 'warn' && line.msg.includes('were dropped'))).toBe(true);
    await new Promise<void>((resolve) => bound?.socket.close(() => resolve()));
  });
});
