import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import { createTestApp, freeTcpPort, freeUdpPort } from '@agentkit/core/testing';
import { DogstatsdErrorCode, dogstatsdBundle, TCP_LISTENER, UDP_LISTENER } from '@agentkit/dogstatsd';
import { findRow } from '../src/listeners/proc-net.js';
import { dsdConfig, RecordingLogger, waitFor } from './helpers.js';

/** An app with UDP on a port that was free a moment ago (`dogstatsd_port: 0` would turn UDP off). */
async function makeApp(values: Record<string, unknown> = {}, logger = new RecordingLogger()) {
  const demux = new FakeDemultiplexer();
  const config = dsdConfig({ dogstatsd_port: await freeUdpPort(), ...values });
  const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle], { config, logger });
  return { app, demux, logger };
}

async function send(port: number, packets: readonly (string | Buffer)[], host = '127.0.0.1'): Promise<void> {
  const client = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  for (const packet of packets) {
    await new Promise<void>((resolve, reject) => client.send(packet, port, host, (error) => (error ? reject(error) : resolve())));
  }
  client.close();
}

/** A UDP socket bound to host:port, or the bind error (EADDRINUSE when the listener holds it). */
async function tryBind(port: number, host: string): Promise<Socket | Error> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    socket.once('error', (error) => {
      socket.close();
      resolve(error);
    });
    socket.bind(port, host, () => resolve(socket));
  });
}

const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'latin1'));
/** Loopback ::1 is configured on `lo` (Linux lists it in /proc/net/if_inet6). */
const hasIPv6Loopback = ((): boolean => {
  try {
    return /^0{31}1 .* lo$/m.test(readFileSync('/proc/net/if_inet6', 'latin1'));
  } catch {
    return false;
  }
})();
const itIPv6 = hasIPv6Loopback ? it : it.skip;
if (!hasIPv6Loopback) console.warn('udp.test.ts: no IPv6 loopback (::1 not in /proc/net/if_inet6): the dual-stack tests are skipped');

describe('UDP listener', () => {
  it('receives datagrams on dogstatsd_port, bound to 127.0.0.1 only by default (bind_host localhost)', async () => {
    const { app, demux, logger } = await makeApp();
    await app.start();
    const listener = app.get(UDP_LISTENER);
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.address).toBe('127.0.0.1');
    // Loopback only: the same port on another local address is still free.
    const beside = await tryBind(listener.port, '127.0.0.2');
    expect(beside).not.toBeInstanceOf(Error);
    (beside as Socket).close();
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'info', obj: expect.objectContaining({ port: listener.port, host: '127.0.0.1' }) }));
    await send(listener.port, ['a:1|c|#x\nb:2|g', '_sc|up|0', 'c:3|ms']);
    await waitFor(() => demux.samples.length === 3 && demux.serviceChecks.length === 1, 'three samples and a check');
    expect(demux.samples.map((s) => [s.name, s.type])).toEqual([
      ['a', 'counter'],
      ['b', 'gauge'],
      ['c', 'timing'],
    ]);
    expect(app.telemetry()['UdpListener']).toMatchObject({ packets: 3, kernel_drops: 0 });
  });

  it('binds bind_host: set to 127.0.0.2 it receives there, and 127.0.0.1 on the same port is not its', async () => {
    const { app, demux } = await makeApp({ bind_host: '127.0.0.2' });
    await app.start();
    const listener = app.get(UDP_LISTENER);
    expect(listener.address).toBe('127.0.0.2');
    // 127.0.0.1:<port> is free, so a datagram sent there reaches this socket and not the listener.
    const other = await tryBind(listener.port, '127.0.0.1');
    if (other instanceof Error) throw other;
    const atOther = new Promise<string>((resolve) => other.once('message', (m) => resolve(m.toString())));
    try {
      await send(listener.port, ['wrong.address:1|c'], '127.0.0.1');
      await send(listener.port, ['right.address:1|c'], '127.0.0.2');
      expect(await atOther).toBe('wrong.address:1|c');
      await waitFor(() => demux.samples.length === 1, 'the datagram sent to 127.0.0.2');
      await app.stop();
    } finally {
      other.close();
    }
    expect(demux.samples.map((s) => s.name)).toEqual(['right.address']);
    expect(app.telemetry()['UdpListener']).toMatchObject({ packets: 1 });
  });

  it('resolves a bind_host name to its first IPv4 address, as the Agent (Go) does: localhost is 127.0.0.1', async () => {
    const { app } = await makeApp({ bind_host: 'localhost' });
    await app.start();
    expect(app.get(UDP_LISTENER).address).toBe('127.0.0.1');
  });

  it('fails the start naming bind_host when it does not resolve', async () => {
    const { app } = await makeApp({ bind_host: 'no-such-host.invalid' });
    const error = await app.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ cause: { code: DogstatsdErrorCode.ListenerStart, message: expect.stringMatching(/^bind_host: cannot resolve "no-such-host\.invalid"/) } });
  });

  itIPv6('with dogstatsd_non_local_traffic binds :: dual-stack: datagrams to ::1 and to 127.0.0.1 both arrive (UDP and TCP)', async () => {
    const tcpPort = await freeTcpPort();
    const { app, demux } = await makeApp({ dogstatsd_non_local_traffic: true, bind_host: '127.0.0.2', dogstatsd_tcp_port: tcpPort });
    await app.start();
    const listener = app.get(UDP_LISTENER);
    expect(listener.address).toBe('::'); // bind_host is ignored
    await send(listener.port, ['via.ipv6:1|c'], '::1');
    await send(listener.port, ['via.ipv4:1|c'], '127.0.0.1');
    await waitFor(() => demux.samples.length === 2, 'both datagrams');
    expect(demux.samples.map((s) => s.name).sort()).toEqual(['via.ipv4', 'via.ipv6']);
    // The stop drain finds the dual-stack socket's queue in /proc/net/udp6.
    expect(app.telemetry()['UdpListener']).toMatchObject({ kernel_drops: 0, kernel_queue_bytes: expect.any(Number) });

    const tcp = app.get(TCP_LISTENER);
    expect(tcp.address).toBe('::');
    const { connect } = await import('node:net');
    for (const host of ['::1', '127.0.0.1']) {
      const client = connect({ host, port: tcp.port });
      await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
      client.end(`tcp.${host.includes(':') ? 'ipv6' : 'ipv4'}:1|c\n`);
      await new Promise((resolve) => client.once('close', resolve));
    }
    await waitFor(() => demux.samples.length === 4, 'both TCP lines');
    expect(demux.samples.map((s) => s.name).slice(2).sort()).toEqual(['tcp.ipv4', 'tcp.ipv6']);
  });

  itIPv6.each(['0.0.0.0', '::', ''])(
    'bind_host %j is every interface, IPv6 included, as in the Agent (Go listens dual-stack on an unspecified address)',
    async (bindHost) => {
      const { app, demux } = await makeApp({ bind_host: bindHost });
      await app.start();
      const listener = app.get(UDP_LISTENER);
      expect(listener.address).toBe('::');
      await send(listener.port, ['via.ipv6:1|c'], '::1');
      await send(listener.port, ['via.ipv4:1|c'], '127.0.0.1');
      await waitFor(() => demux.samples.length === 2, 'the datagrams to ::1 and 127.0.0.1');
    },
  );

  itIPv6('bind_host ::1 listens on IPv6 loopback only', async () => {
    const { app, demux } = await makeApp({ bind_host: '::1' });
    await app.start();
    const listener = app.get(UDP_LISTENER);
    expect(listener.address).toBe('::1');
    const beside = await tryBind(listener.port, '127.0.0.1');
    expect(beside).not.toBeInstanceOf(Error);
    (beside as Socket).close();
    await send(listener.port, ['via.ipv6:1|c'], '::1');
    await waitFor(() => demux.samples.length === 1, 'the datagram to ::1');
  });

  it('dogstatsd_port 0 turns UDP off, as in the Agent; the other transports still work', async () => {
    const tcpPort = await freeTcpPort();
    const demux = new FakeDemultiplexer();
    const logger = new RecordingLogger();
    const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle], { config: dsdConfig({ dogstatsd_port: 0, dogstatsd_tcp_port: tcpPort }), logger });
    await app.start();
    const udp = app.get(UDP_LISTENER);
    expect([udp.listening, udp.port, udp.address]).toEqual([false, 0, '']);
    expect(app.telemetry()['UdpListener']).toMatchObject({ listening: 0 });
    expect(logger.messages('info')).toContain('DogStatsD UDP listener off (dogstatsd_port 0)');
    const { connect } = await import('node:net');
    const client = connect({ host: '127.0.0.1', port: tcpPort });
    await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
    client.end('over.tcp:1|c\n');
    await waitFor(() => demux.samples.length === 1, 'the TCP line');
    expect(app.telemetry()['TcpListener']).toMatchObject({ listening: 1 });
  });

  it('a negative dogstatsd_port is off too (the Agent listens only on a positive port)', async () => {
    const app = createTestApp([fakeAggregatorBundle(), dogstatsdBundle], { config: dsdConfig({ dogstatsd_port: -5 }) });
    await app.start();
    expect(app.get(UDP_LISTENER).listening).toBe(false);
  });

  it('cuts a datagram longer than dogstatsd_buffer_size to its first bytes, as the Agent\'s read buffer does, parses what is left, and counts the cut', async () => {
    const { app, demux, logger } = await makeApp({ dogstatsd_buffer_size: 64 });
    await app.start();
    const port = app.get(UDP_LISTENER).port;
    const head = 'kept.a:1|c\nkept.b:2|g\ncut.c:3|c|#';
    await send(port, [`${head}${'t'.repeat(300)}`, 'x'.repeat(64), 'small:1|c']);
    await waitFor(() => demux.samples.length === 4, 'four samples');
    // As the Agent: whole lines before the cut as usual; the cut line as it is (here: a shorter tag).
    expect(demux.samples.map((s) => [s.name, s.tags])).toEqual([
      ['kept.a', []],
      ['kept.b', []],
      ['cut.c', ['t'.repeat(64 - head.length)]],
      ['small', []],
    ]);
    // A datagram of exactly dogstatsd_buffer_size bytes is not cut.
    expect(app.telemetry()['UdpListener']).toMatchObject({ packets: 3, 'dropped.datagram_truncated': 1, truncated_bytes: head.length + 300 - 64 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ reason: 'datagram_truncated', datagramBytes: head.length + 300, keptBytes: 64 }) }),
    );
  });

  it('under dogstatsd_eol_required, the cut last line of a datagram is dropped as unterminated (as in the Agent)', async () => {
    const { app, demux } = await makeApp({ dogstatsd_buffer_size: 64, dogstatsd_eol_required: ['udp'] });
    await app.start();
    await send(app.get(UDP_LISTENER).port, [`kept:1|c\ncut:2|c|#${'t'.repeat(100)}\n`]);
    await waitFor(() => (app.telemetry()['DogstatsdServer']?.['unterminated_lines'] ?? 0) === 1, 'the unterminated line');
    expect(demux.samples.map((s) => s.name)).toEqual(['kept']);
  });

  it('logs the receive buffer the kernel granted, and warns when it was capped', async () => {
    const small = await makeApp({ dogstatsd_so_rcvbuf: 65536 });
    await small.app.start();
    expect(small.app.get(UDP_LISTENER).recvBufferBytes).toBe(131072); // Linux doubles it
    expect(small.logger.messages('warn')).toEqual([]);
    await small.app.stop();

    const big = await makeApp({ dogstatsd_so_rcvbuf: 2 * rmemMax });
    await big.app.start();
    expect(big.app.get(UDP_LISTENER).recvBufferBytes).toBe(2 * rmemMax);
    expect(big.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ requestedBytes: 2 * rmemMax, grantedBytes: 2 * rmemMax, rmemMaxBytes: rmemMax }) }),
    );
  });

  it('fails the start, naming dogstatsd_port, when the port is taken', async () => {
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(0, '127.0.0.1', resolve));
    try {
      const { app } = await makeApp({ dogstatsd_port: squatter.address().port });
      const error = await app.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ cause: { code: DogstatsdErrorCode.ListenerStart, message: expect.stringMatching(/^dogstatsd_port: .*EADDRINUSE/) } });
    } finally {
      squatter.close();
    }
  });

  it('finds all of 100k lines sent just before stop (the drain reads the kernel queue empty)', async () => {
    const { app, demux } = await makeApp();
    await app.start();
    const port = app.get(UDP_LISTENER).port;
    // A separate process sends 2 000 datagrams of 50 lines while this one is blocked in
    // execFileSync: every datagram is still in the kernel queue when stop begins.
    const sender = `
      const dgram = require('node:dgram');
      const socket = dgram.createSocket('udp4');
      let pending = 0;
      for (let p = 0; p < 2000; p++) {
        const lines = [];
        for (let l = 0; l < 50; l++) lines.push('burst.m' + l + ':' + p + '|c');
        pending++;
        socket.send(lines.join('\\n'), ${port}, '127.0.0.1', (err) => { if (err) throw err; if (--pending === 0) socket.close(); });
      }`;
    execFileSync(process.execPath, ['-e', sender]);
    const row = findRow(readFileSync('/proc/net/udp', 'latin1'), [...listInodes()], port);
    expect(row?.rxQueueBytes).toBeGreaterThan(0); // the burst is waiting in the kernel
    await app.stop();
    expect(demux.samples).toHaveLength(100_000);
    expect(row?.drops).toBe(0);
  });
});

/** Every UDP socket inode on the host; findRow then picks the listener by its port. */
function listInodes(): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync('/proc/net/udp', 'latin1').split('\n').slice(1)) {
    const inode = line.trim().split(/\s+/)[9];
    if (inode !== undefined) out.add(inode);
  }
  return out;
}
