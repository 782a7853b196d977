import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import { createTestApp, freeTcpPort } from '@agentkit/core/testing';
import { DogstatsdErrorCode, dogstatsdBundle, TCP_LISTENER, UDS_STREAM_LISTENER } from '@agentkit/dogstatsd';
import { LengthPrefixFramer, NewlineFramer } from '../src/listeners/framing.js';
import { dsdConfig, waitFor } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsd-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function makeApp(values: Record<string, unknown>) {
  const demux = new FakeDemultiplexer();
  const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle], { config: dsdConfig({ dogstatsd_port: 0, ...values }) });
  return { app, demux };
}

function frame(payload: string): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  return Buffer.concat([header, body]);
}

async function open(options: { path: string } | { port: number; host: string }): Promise<Socket> {
  const socket = connect(options);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
}

describe('framing', () => {
  it('cuts length-prefixed frames across chunk boundaries, refuses oversized ones', () => {
    const out: string[] = [];
    const framer = new LengthPrefixFramer(16, (p) => out.push(p.toString()));
    const bytes = Buffer.concat([frame('a:1|c'), frame('b:2|c\nc:3|c'), frame('')]);
    for (let i = 0; i < bytes.length; i += 3) expect(framer.push(bytes.subarray(i, i + 3))).toBe('ok');
    expect(out).toEqual(['a:1|c', 'b:2|c\nc:3|c']);
    expect(framer.finish()).toBe(false);
    expect(framer.push(frame('x'.repeat(17)))).toBe('too_big');
    const partial = new LengthPrefixFramer(16, () => {});
    partial.push(frame('abc').subarray(0, 5));
    expect(partial.finish()).toBe(true);
  });

  it('hands over whole lines and keeps the tail for the next chunk', () => {
    const out: string[] = [];
    const framer = new NewlineFramer(8, (p) => out.push(p.toString()));
    framer.push(Buffer.from('a:1|c\nb:'));
    framer.push(Buffer.from('2|c\n'));
    framer.push(Buffer.from('c:3|c'));
    expect(framer.finish()).toBe(false);
    expect(out).toEqual(['a:1|c\n', 'b:2|c\n', 'c:3|c']);
    expect(new NewlineFramer(8, () => {}).push(Buffer.from('123456789'))).toBe('too_big');
  });
});

describe('Unix stream listener', () => {
  it('receives length-prefixed frames, with socket mode 0722, and removes the file at stop', async () => {
    const path = join(tempDir(), 'dsd.stream');
    const { app, demux } = makeApp({ dogstatsd_stream_socket: path });
    await app.start();
    expect(statSync(path).mode & 0o777).toBe(0o722);
    const client = await open({ path });
    client.write(Buffer.concat([frame('a:1|c\nb:2|g'), frame('_e{1,1}:t|x')]));
    client.end();
    await waitFor(() => demux.samples.length === 2 && demux.events.length === 1, 'two samples and an event');
    await app.stop();
    expect(() => statSync(path)).toThrow();
  });

  it('closes a connection on a frame over dogstatsd_buffer_size or a broken frame, counted', async () => {
    const path = join(tempDir(), 'dsd.stream');
    const { app, demux } = makeApp({ dogstatsd_stream_socket: path, dogstatsd_buffer_size: 64 });
    await app.start();
    const big = await open({ path });
    big.write(Buffer.concat([frame('ok:1|c'), frame(`x:1|c|#${'t'.repeat(100)}`), frame('after:1|c')]));
    await closed(big);
    const broken = await open({ path });
    broken.end(frame('cut:1|c').subarray(0, 6));
    await closed(broken);
    await waitFor(() => app.telemetry()['UdsStreamListener']?.['dropped.broken_frame'] === 1, 'the broken frame');
    expect(demux.samples.map((s) => s.name)).toEqual(['ok']);
    expect(app.telemetry()['UdsStreamListener']).toMatchObject({ 'dropped.frame_too_big': 1, 'dropped.broken_frame': 1, connections: 2 });
  });

  it('removes a stale socket file at start, and refuses to remove anything else (naming the key)', async () => {
    const dir = tempDir();
    const stale = join(dir, 'stale.sock');
    // A process killed while listening leaves its socket file behind, as a crashed agent would.
    const crashed = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(stale)}, () => console.log('up'))`]);
    await new Promise((resolve) => crashed.stdout.once('data', resolve));
    crashed.kill('SIGKILL');
    await new Promise((resolve) => crashed.once('exit', resolve));
    expect(statSync(stale).isSocket()).toBe(true);
    const first = makeApp({ dogstatsd_stream_socket: stale });
    await first.app.start();
    expect(first.app.get(UDS_STREAM_LISTENER).listening).toBe(true);
    await first.app.stop();

    const file = join(dir, 'not-a-socket');
    writeFileSync(file, 'keep me');
    const second = makeApp({ dogstatsd_stream_socket: file });
    const error = await second.app.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ cause: { code: DogstatsdErrorCode.SocketPathInUse, message: expect.stringMatching(/^dogstatsd_stream_socket: /) } });
    expect(statSync(file).isFile()).toBe(true);
  });

  it('listens on a path of 107 bytes, and refuses one of 108 naming the key, the kernel limit and the length', async () => {
    const dir = tempDir();
    const pathOf = (bytes: number): string => join(dir, 's'.repeat(bytes - dir.length - 1));
    const longest = makeApp({ dogstatsd_stream_socket: pathOf(107) });
    await longest.app.start();
    expect(longest.app.get(UDS_STREAM_LISTENER).path).toBe(pathOf(107));
    expect(statSync(pathOf(107)).isSocket()).toBe(true);
    await longest.app.stop();

    const tooLong = makeApp({ dogstatsd_stream_socket: pathOf(108) });
    const error = await tooLong.app.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      cause: {
        code: DogstatsdErrorCode.SocketPathTooLong,
        message: `dogstatsd_stream_socket: the socket path is 108 bytes long, over the kernel's limit of 107 bytes (sun_path is 108 bytes with the terminating NUL on linux); choose a shorter path: "${pathOf(108)}"`,
      },
    });
    expect(() => statSync(pathOf(108))).toThrow(); // nothing was created, not even a truncated path
  });

  it('on stop, reads an open connection to its end: the client sees the end and finishes', async () => {
    const path = join(tempDir(), 'dsd.stream');
    const { app, demux } = makeApp({ dogstatsd_stream_socket: path });
    await app.start();
    const client = await open({ path });
    client.write(frame('first:1|c'));
    // A client that flushes what it buffered when the server ends the connection.
    client.on('end', () => client.end(frame('last:1|c')));
    await waitFor(() => demux.samples.length === 1, 'the first frame');
    await app.stop();
    expect(demux.samples.map((s) => s.name)).toEqual(['first', 'last']);
  });
});

describe('TCP listener (newline-delimited)', () => {
  it('is off by default and receives lines when dogstatsd_tcp_port is set', async () => {
    const off = makeApp({});
    await off.app.start();
    expect(off.app.get(TCP_LISTENER).listening).toBe(false);
    await off.app.stop();

    const { app, demux } = makeApp({ dogstatsd_tcp_port: await freeTcpPort() });
    await app.start();
    const client = await open({ port: app.get(TCP_LISTENER).port, host: '127.0.0.1' });
    client.write('a:1|c\nb:');
    client.write('2|g\n_sc|up|1\n');
    client.end('last:3|c'); // unterminated at the end of the stream: still a message
    await waitFor(() => demux.samples.length === 3 && demux.serviceChecks.length === 1, 'the lines');
    expect(demux.samples.map((s) => [s.name, s.value])).toEqual([
      ['a', 1],
      ['b', 2],
      ['last', 3],
    ]);
  });

  it('loses nothing of a large burst, and closes a connection whose line exceeds dogstatsd_buffer_size', async () => {
    const { app, demux } = makeApp({ dogstatsd_tcp_port: await freeTcpPort(), dogstatsd_buffer_size: 1024 });
    await app.start();
    const port = app.get(TCP_LISTENER).port;
    const client = await open({ port, host: '127.0.0.1' });
    const lines = Array.from({ length: 50_000 }, (_, i) => `tcp.m${i % 100}:${i}|c`).join('\n');
    client.end(`${lines}\n`);
    await closed(client);
    await app.stop();
    expect(demux.samples).toHaveLength(50_000);
    expect(demux.samples.reduce((sum, s) => sum + s.value, 0)).toBe((49_999 * 50_000) / 2);
  });

  it('fails the start, naming dogstatsd_tcp_port, when the port is taken', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    try {
      const { app } = makeApp({ dogstatsd_tcp_port: (squatter.address() as { port: number }).port });
      const error = await app.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ cause: { code: DogstatsdErrorCode.ListenerStart, message: expect.stringMatching(/^dogstatsd_tcp_port: /) } });
    } finally {
      squatter.close();
    }
  });

  it('a line longer than dogstatsd_buffer_size closes its connection, counted', async () => {
    const { app } = makeApp({ dogstatsd_tcp_port: await freeTcpPort(), dogstatsd_buffer_size: 64 });
    await app.start();
    const client = await open({ port: app.get(TCP_LISTENER).port, host: '127.0.0.1' });
    client.write('x'.repeat(200));
    await closed(client);
    expect(app.telemetry()['TcpListener']).toMatchObject({ 'dropped.line_too_long': 1 });
  });
});
