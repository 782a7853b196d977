import { describe, expect, it } from '@jest/globals';
import { freeUdpPort } from '@agentkit/core/testing';
import { FakeDemultiplexer } from '@agentkit/aggregator';
import { replace } from '@agentkit/core';
import { FakePacketForwarder, MainThreadServer, MEMORY_LISTENER, PACKET_FORWARDER } from '@agentkit/dogstatsd';
import { dsdConfig, RecordingLogger, waitFor } from './helpers.js';
import { sendUdp, udpApp, udpReceiver } from './udp-helpers.js';

describe('statsd_forward_host / statsd_forward_port', () => {
  it('forwards the exact bytes of every packet received to a real UDP socket, and still ingests them', async () => {
    const target = await udpReceiver();
    const port = await freeUdpPort();
    const { app, demux } = udpApp(port, { statsd_forward_host: '127.0.0.1', statsd_forward_port: target.port });
    await app.start();
    expect(app.get(PACKET_FORWARDER).forwarding).toBe(true);
    const binary = Buffer.from([0x61, 0x3a, 0x31, 0x7c, 0x63, 0x0a, 0xff, 0x00, 0xc3, 0x28, 0x0d, 0x0a]); // "a:1|c\n" + bytes that are not UTF-8
    const big = Buffer.from(Array.from({ length: 300 }, (_, i) => `big.metric_${i}:${i}|h|#t:${i}`).join('\n'));
    const packets = [Buffer.from('x:1|c|#a:b\ny:2|g'), Buffer.from('not a metric'), Buffer.from('_sc|up|0\n'), binary, big];
    await sendUdp(port, packets);
    await waitFor(() => app.telemetry()['DogstatsdServer']?.['packets'] === packets.length, 'the datagrams received');
    // Packets from other transports are forwarded the same way (here the memory listener, as UDS).
    app.get(MEMORY_LISTENER).inject('from.uds:3|d', 'uds');
    await waitFor(() => target.datagrams.length === packets.length + 1, 'every packet at the forward target');
    expect(target.datagrams).toEqual([...packets, Buffer.from('from.uds:3|d')]);
    await waitFor(() => demux.samples.length === 304, 'local ingestion');
    expect(demux.samples.slice(0, 3).map((s) => s.name)).toEqual(['x', 'y', 'a']);
    expect(demux.serviceChecks).toHaveLength(1);
    expect(app.telemetry()['PacketForwarder']).toMatchObject({ packets: 6, bytes: packets.reduce((n, p) => n + p.length, 0) + 12 });
    await app.stop();
    expect(app.get(PACKET_FORWARDER).forwarding).toBe(false);
    await target.close();
  });

  it('a target that refuses (ICMP port unreachable) is counted and logged; local ingestion loses nothing', async () => {
    const refusing = await freeUdpPort(); // nothing listens there
    const port = await freeUdpPort();
    const { app, demux, logger } = udpApp(port, { statsd_forward_host: '127.0.0.1', statsd_forward_port: refusing });
    await app.start();
    const packets = Array.from({ length: 50 }, (_, i) => `m${i}:1|c`);
    await sendUdp(port, packets);
    await waitFor(() => demux.samples.length === 50, 'every sample ingested');
    await waitFor(() => (app.telemetry()['PacketForwarder']?.['errors.ECONNREFUSED'] ?? 0) > 0, 'ECONNREFUSED counted');
    expect(demux.samples.map((s) => s.name)).toEqual(packets.map((p) => p.slice(0, p.indexOf(':'))));
    expect(app.telemetry()['PacketForwarder']).toMatchObject({ packets: 50 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ component: 'PacketForwarder', reason: 'ECONNREFUSED', target: `127.0.0.1:${refusing}` }) }),
    );
    await app.stop(); // and the stop is clean
  });

  it('forwards to an IPv6 target', async () => {
    const target = await udpReceiver('udp6');
    const port = await freeUdpPort();
    const { app } = udpApp(port, { statsd_forward_host: '::1', statsd_forward_port: target.port });
    await app.start();
    await sendUdp(port, ['v6:1|c']);
    await waitFor(() => target.datagrams.length === 1, 'the datagram over IPv6');
    expect(target.datagrams[0]?.toString()).toBe('v6:1|c');
    expect(app.telemetry()['PacketForwarder']).toMatchObject({ packets: 1 });
    await target.close();
  });

  it('is off unless both keys are set (a warning names the missing one); a host that does not resolve starts without forwarding, counted', async () => {
    const port = await freeUdpPort();
    const hostOnly = udpApp(port, { statsd_forward_host: '127.0.0.1' });
    await hostOnly.app.start();
    expect(hostOnly.app.get(PACKET_FORWARDER).forwarding).toBe(false);
    expect(hostOnly.logger.messages('warn')).toContain('statsd_forward_host is set but statsd_forward_port is 0: packets are not forwarded');
    await hostOnly.app.stop();

    const portOnly = udpApp(port, { statsd_forward_port: 9 });
    await portOnly.app.start();
    expect(portOnly.logger.messages('warn')).toContain('statsd_forward_port is set but statsd_forward_host is empty: packets are not forwarded');
    await portOnly.app.stop();

    const unresolved = udpApp(port, { statsd_forward_host: 'no-such-host.invalid', statsd_forward_port: 8125 });
    await unresolved.app.start();
    expect(unresolved.app.get(PACKET_FORWARDER).forwarding).toBe(false);
    expect(unresolved.logger.messages('warn').some((m) => m.startsWith('statsd_forward_host: cannot forward to no-such-host.invalid:8125'))).toBe(true);
    await sendUdp(port, ['still:1|c']);
    await waitFor(() => unresolved.demux.samples.length === 1, 'ingestion without forwarding');
    expect(unresolved.app.telemetry()['PacketForwarder']).toMatchObject({ packets: 0, 'dropped.not_connected': 1 });
  });

  it('starts before the server and stops after it, so every packet handed over is sent before the socket closes', async () => {
    const target = await udpReceiver();
    const port = await freeUdpPort();
    const { app } = udpApp(port, { statsd_forward_host: '127.0.0.1', statsd_forward_port: target.port });
    const order = app.graph().startOrder;
    expect(order.indexOf('PacketForwarder')).toBeLessThan(order.indexOf('DogstatsdServer'));
    await app.start();
    const listener = app.get(MEMORY_LISTENER);
    for (let i = 0; i < 100; i++) listener.inject(`late${i}:1|c`);
    await app.stop();
    await waitFor(() => target.datagrams.length === 100, 'the packets handed over before stop');
    expect(app.telemetry()['PacketForwarder']?.['dropped.stopped']).toBeUndefined();
    await target.close();
  });

  it('the server hands each packet to the forwarder before parsing, only while running (checked with the fake)', async () => {
    const fake = new FakePacketForwarder();
    const port = await freeUdpPort();
    const { app, demux } = udpApp(port, {}, [replace(PACKET_FORWARDER, fake)]);
    await app.start();
    await sendUdp(port, ['a:1|c', 'garbage']);
    await waitFor(() => demux.samples.length === 1 && fake.packets.length === 2, 'both packets');
    expect(fake.packets.map((p) => p.toString())).toEqual(['a:1|c', 'garbage']);

    const server = new MainThreadServer(new FakeDemultiplexer(), dsdConfig(), new RecordingLogger(), fake);
    server.enqueue(Buffer.from('before:1|c'), 'udp');
    server.onStart();
    server.enqueue(Buffer.from('during:1|c'), 'tcp');
    server.onStop();
    server.enqueue(Buffer.from('after:1|c'), 'udp');
    expect(fake.packets.map((p) => p.toString())).toEqual(['a:1|c', 'garbage', 'during:1|c']);
  });
});
