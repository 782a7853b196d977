import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import { createTestApp } from '@agentkit/core/testing';
import { DogstatsdErrorCode, dogstatsdBundle, UDS_DATAGRAM_LISTENER } from '@agentkit/dogstatsd';
import { loadUnixDgram } from '../src/listeners/uds-datagram-listener.js';
import { dsdConfig, waitFor } from './helpers.js';

interface ClientSocket {
  send(buf: Buffer, offset: number, length: number, path: string, callback: (error?: Error) => void): void;
  close(): void;
}
const unixDgram = createRequire(import.meta.url)('unix-dgram') as { createSocket(type: 'unix_dgram'): ClientSocket };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function socketPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsd-'));
  dirs.push(dir);
  return join(dir, 'dsd.socket');
}

async function send(path: string, packets: readonly string[]): Promise<void> {
  const client = unixDgram.createSocket('unix_dgram');
  try {
    for (const packet of packets) {
      const buf = Buffer.from(packet);
      // The kernel queue of a Unix datagram socket is short (net.unix.max_dgram_qlen, 10 here):
      // the addon's socket is non-blocking, so retry on EAGAIN (-11) / congestion.
      for (;;) {
        const error = await new Promise<Error | undefined>((resolve) => client.send(buf, 0, buf.length, path, resolve));
        if (error === undefined) break;
        if (!/congestion|EAGAIN|-11/.test(error.message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  } finally {
    client.close();
  }
}

describe('Unix datagram listener (unix-dgram)', () => {
  it('receives datagrams, with socket mode 0722, and removes the file at stop', async () => {
    const path = socketPath();
    const demux = new FakeDemultiplexer();
    const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle], { config: dsdConfig({ dogstatsd_port: 0, dogstatsd_socket: path }) });
    await app.start();
    expect(app.get(UDS_DATAGRAM_LISTENER).path).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o722);
    const packets = Array.from({ length: 200 }, (_, i) => `uds.m:${i}|c|#via:uds\n_sc|uds.up|0`);
    await send(path, packets);
    await waitFor(() => demux.samples.length === 200, 'the datagrams');
    await app.stop();
    expect(demux.samples.reduce((sum, s) => sum + s.value, 0)).toBe((199 * 200) / 2);
    expect(demux.serviceChecks).toHaveLength(200);
    expect(() => statSync(path)).toThrow();
  });

  it('reads what is still queued when stop begins', async () => {
    const path = socketPath();
    const demux = new FakeDemultiplexer();
    const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle], { config: dsdConfig({ dogstatsd_port: 0, dogstatsd_socket: path }) });
    await app.start();
    // Another process fills the socket's queue (net.unix.max_dgram_qlen datagrams) while this
    // one is blocked, so they are all unread when stop begins.
    const sender = `
      const socket = require(${JSON.stringify(createRequire(import.meta.url).resolve('unix-dgram'))}).createSocket('unix_dgram');
      let sent = 0;
      for (let i = 0; i < 10; i++) { const b = Buffer.from('late.m:' + i + '|c'); socket.send(b, 0, b.length, ${JSON.stringify(path)}, (err) => { if (!err) sent++; }); }
      socket.close();
      process.stdout.write(String(sent));`;
    const sent = Number(execFileSync(process.execPath, ['-e', sender], { encoding: 'utf8' }));
    expect(sent).toBeGreaterThan(0);
    await app.stop();
    expect(demux.samples).toHaveLength(sent);
  });

  it('fails the start naming dogstatsd_socket when the addon is unavailable', () => {
    let error: unknown;
    try {
      loadUnixDgram(() => {
        throw new Error("Cannot find module 'unix-dgram'");
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: DogstatsdErrorCode.UnixDgramUnavailable, message: expect.stringMatching(/^dogstatsd_socket is set .*unix-dgram/) });
  });

  it('fails the start naming dogstatsd_socket when it cannot bind', async () => {
    const app = createTestApp([fakeAggregatorBundle(), dogstatsdBundle], {
      config: dsdConfig({ dogstatsd_port: 0, dogstatsd_socket: '/nonexistent-dir/dsd.socket' }),
    });
    const error = await app.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ cause: { code: DogstatsdErrorCode.ListenerStart, message: expect.stringMatching(/^dogstatsd_socket: /) } });
  });

  it('cuts a datagram longer than dogstatsd_buffer_size to its first bytes, parses what is left as the Agent does, and counts the cut', async () => {
    const path = socketPath();
    const demux = new FakeDemultiplexer();
    const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle], {
      config: dsdConfig({ dogstatsd_port: 0, dogstatsd_socket: path, dogstatsd_buffer_size: 64 }),
    });
    await app.start();
    // Two whole lines, then one whose tag is cut at byte 64.
    const head = 'kept.a:1|c\nkept.b:2|g\ncut.c:3|c|#';
    await send(path, [`${head}${'t'.repeat(200)}`, 'small:1|c']);
    await waitFor(() => demux.samples.length === 4, 'four samples');
    expect(demux.samples.map((s) => [s.name, s.tags])).toEqual([
      ['kept.a', []],
      ['kept.b', []],
      ['cut.c', ['t'.repeat(64 - head.length)]],
      ['small', []],
    ]);
    expect(app.telemetry()['UdsDatagramListener']).toMatchObject({ packets: 2, 'dropped.datagram_truncated': 1, truncated_bytes: head.length + 200 - 64 });
  });

  it('refuses a socket path over the kernel limit, naming the key, the limit and the length', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsd-'));
    dirs.push(dir);
    const path = join(dir, `${'s'.repeat(120 - dir.length)}.sock`);
    const app = createTestApp([fakeAggregatorBundle(), dogstatsdBundle], { config: dsdConfig({ dogstatsd_port: 0, dogstatsd_socket: path }) });
    const error = await app.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      cause: {
        code: DogstatsdErrorCode.SocketPathTooLong,
        message: `dogstatsd_socket: the socket path is 126 bytes long, over the kernel's limit of 107 bytes (sun_path is 108 bytes with the terminating NUL on linux); choose a shorter path: "${path}"`,
      },
    });
  });
});
