import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import { createTestApp } from '@agentkit/core/testing';
import { DogstatsdErrorCode, dogstatsdBundle, UDP_LISTENER } from '@agentkit/dogstatsd';
import { findRow } from '../src/listeners/proc-net.js';
import { dsdConfig, RecordingLogger, waitFor } from './helpers.js';

function makeApp(values: Record<string, unknown> = {}, logger = new RecordingLogger()) {
  const demux = new FakeDemultiplexer();
  const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle], { config: dsdConfig({ dogstatsd_port: 0, ...values }), logger });
  return { app, demux, logger };
}

async function send(port: number, packets: readonly string[]): Promise<void> {
  const client = createSocket('udp4');
  for (const packet of packets) {
    await new Promise<void>((resolve, reject) => client.send(packet, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  }
  client.close();
}

const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'latin1'));

describe('UDP listener', () => {
  it('receives datagrams on a free port (dogstatsd_port 0), logged at start', async () => {
    const { app, demux, logger } = makeApp();
    await app.start();
    const listener = app.get(UDP_LISTENER);
    expect(listener.port).toBeGreaterThan(0);
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

  it('binds every interface with dogstatsd_non_local_traffic', async () => {
    const { app, logger } = makeApp({ dogstatsd_non_local_traffic: true });
    await app.start();
    expect(logger.lines).toContainEqual(expect.objectContaining({ obj: expect.objectContaining({ host: '0.0.0.0' }) }));
  });

  it('logs the receive buffer the kernel granted, and warns when it was capped', async () => {
    const small = makeApp({ dogstatsd_so_rcvbuf: 65536 });
    await small.app.start();
    expect(small.app.get(UDP_LISTENER).recvBufferBytes).toBe(131072); // Linux doubles it
    expect(small.logger.messages('warn')).toEqual([]);
    await small.app.stop();

    const big = makeApp({ dogstatsd_so_rcvbuf: 2 * rmemMax });
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
      const { app } = makeApp({ dogstatsd_port: squatter.address().port });
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
    const { app, demux } = makeApp();
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
