import { describe, expect, it } from '@jest/globals';
import { hostname } from 'node:os';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import { createTestApp } from '@agentkit/core/testing';
import {
  DOGSTATSD_SERVER,
  DogstatsdErrorCode,
  dogstatsdBundle,
  MainThreadServer,
  MEMORY_LISTENER,
  memoryListenerBundle,
  UDP_LISTENER,
} from '@agentkit/dogstatsd';
import { dsdConfig, HOST, RecordingLogger, waitFor } from './helpers.js';

/** An app with the server, the memory listener and a fake aggregator; UDP off unless asked. */
function makeApp(values: Record<string, unknown> = {}, logger?: RecordingLogger, env: Record<string, string> = {}) {
  const demux = new FakeDemultiplexer();
  const config = dsdConfig({ dogstatsd_port: 0, ...values }, env);
  const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle, memoryListenerBundle], {
    config,
    ...(logger === undefined ? {} : { logger }),
  });
  return { app, demux };
}

describe('the DogStatsD server', () => {
  it('starts after the demultiplexer and before the listeners (so it stops between them)', () => {
    const { app } = makeApp();
    const order = app.graph().startOrder;
    expect(order.indexOf('Demultiplexer')).toBeLessThan(order.indexOf('DogstatsdServer'));
    for (const listener of ['UdpListener', 'TcpListener', 'UdsDatagramListener', 'UdsStreamListener', 'MemoryListener']) {
      expect(order.indexOf('DogstatsdServer')).toBeLessThan(order.indexOf(listener));
    }
  });

  it('is left out when use_dogstatsd is false', () => {
    const { app } = makeApp({ use_dogstatsd: false });
    expect(app.bundles().find((b) => b.name === 'dogstatsd')).toMatchObject({ enabled: false });
    expect(app.graph().startOrder).not.toContain('DogstatsdServer');
  });

  it('parses injected packets into the demultiplexer, with the configured hostname and telemetry', async () => {
    const { app, demux } = makeApp();
    await app.start();
    const listener = app.get(MEMORY_LISTENER);
    listener.inject('a:1|c|#x\nb:2|g\n_e{1,1}:t|x\n_sc|up|0\nbad line');
    listener.inject('c:3|d|T1657100430', 'tcp');
    await waitFor(() => demux.serviceChecks.length === 1, 'the packets');
    expect(demux.samples.map((s) => [s.name, s.value, s.host])).toEqual([
      ['a', 1, HOST],
      ['b', 2, HOST],
    ]);
    expect(demux.timestampedSamples.map((s) => s.timestamp)).toEqual([1657100430]);
    expect(demux.events).toHaveLength(1);
    expect(app.telemetry()['DogstatsdServer']).toMatchObject({
      packets: 2,
      lines: 6,
      samples: 3,
      events: 1,
      service_checks: 1,
      'parse_errors.metric_format': 1,
    });
  });

  it("uses the machine's name when hostname is not set", async () => {
    const demux = new FakeDemultiplexer();
    const app = createTestApp([fakeAggregatorBundle(demux), dogstatsdBundle, memoryListenerBundle], {
      config: dsdConfig({ dogstatsd_port: 0 }, { DD_HOSTNAME: '' }),
    });
    await app.start();
    app.get(MEMORY_LISTENER).inject('a:1|c');
    app.get(DOGSTATSD_SERVER).flush();
    expect(demux.samples[0]?.host).toBe(hostname());
  });

  it('on stop, parses everything still queued and hands it over before the demultiplexer stops', async () => {
    const { app, demux } = makeApp();
    await app.start();
    const listener = app.get(MEMORY_LISTENER);
    for (let i = 0; i < 500; i++) listener.inject(Array.from({ length: 20 }, (_, j) => `m${j}:${i}|c`).join('\n'));
    expect(demux.samples).toHaveLength(0); // queued, not parsed yet: nothing ran since
    await app.stop();
    expect(demux.samples).toHaveLength(10_000);
    expect(demux.stopped).toBe(true);
  });

  it('when the queue is full, parses it before taking more (back-pressure, nothing dropped)', async () => {
    const { app, demux } = makeApp({ dogstatsd_queue_size: 2 });
    await app.start();
    const listener = app.get(MEMORY_LISTENER);
    for (let i = 0; i < 10; i++) listener.inject(`m:${i}|g`);
    expect(demux.samples.length).toBeGreaterThanOrEqual(8); // parsed synchronously, by inject()
    app.get(DOGSTATSD_SERVER).flush();
    expect(demux.samples.map((s) => s.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(app.telemetry()['DogstatsdServer']).toMatchObject({ queue_full: 4 });
  });

  it('applies dogstatsd_eol_required per transport', async () => {
    const { app, demux } = makeApp({ dogstatsd_eol_required: ['udp'] });
    await app.start();
    const listener = app.get(MEMORY_LISTENER);
    listener.inject('a:1|c\nb:1|c', 'udp');
    listener.inject('c:1|c', 'tcp');
    listener.inject('d:1|c\n', 'udp');
    app.get(DOGSTATSD_SERVER).flush();
    expect(demux.samples.map((s) => s.name)).toEqual(['a', 'c', 'd']);
    expect(app.telemetry()['DogstatsdServer']).toMatchObject({ unterminated_lines: 1 });
  });

  it.each([
    [{ dogstatsd_eol_required: ['udp', 'carrier-pigeon'] }, /^dogstatsd_eol_required: "carrier-pigeon"/],
    [{ dogstatsd_mapper_profiles: [{ name: 'p', prefix: 'a', mappings: [{ match: 'a**', name: 'b' }] }] }, /^dogstatsd_mapper_profiles\[0\]/],
  ])('fails to start on an invalid setting, naming its key (%j)', async (values, message) => {
    const { app } = makeApp(values);
    const error = await app.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ cause: { code: DogstatsdErrorCode.InvalidConfig, message: expect.stringMatching(message) } });
  });

  it('survives hostile input: invalid UTF-8, NUL bytes, huge tag lists, 8 KiB lines, random bytes', async () => {
    const { app, demux } = makeApp();
    await app.start();
    const listener = app.get(MEMORY_LISTENER);
    const hostile = [
      Buffer.from([0xff, 0xfe, 0x3a, 0x31, 0x7c, 0x63, 0x0a, 0xc3, 0x28, 0x3a, 0x31, 0x7c, 0x67]), // invalid UTF-8 names
      Buffer.from('nul\0name:1|c|#t\0ag\n\0\0\0'),
      Buffer.from(`huge:1|c|#${Array.from({ length: 5000 }, (_, i) => `tag${i}:v`).join(',')}`),
      Buffer.from(`long:1|c|#${'x'.repeat(8192)}`),
      Buffer.from(`${'a'.repeat(8192)}\n`.repeat(4)),
      Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) & 0xff)),
      Buffer.from('_e{99999999999999999999,1}:x|y\n_e{1,99999999999999999999}:x|y\n_sc|x|0|d:99999999999999999999999'),
    ];
    for (const packet of hostile) listener.inject(packet);
    listener.inject('still.alive:1|c');
    await waitFor(() => demux.samples.some((s) => s.name === 'still.alive'), 'the line after the hostile packets');
    expect(demux.samples.find((s) => s.name === 'huge')?.tags).toHaveLength(5000);
    expect(demux.samples.find((s) => s.name === 'nul\0name')?.tags).toEqual(['t\0ag']);
    const names = demux.samples.map((s) => s.name);
    expect(names).toContain('\ufffd\ufffd'); // invalid bytes decode to U+FFFD, as Go's string() keeps them
  });

  it('counts parse errors by kind and logs them at most once per second per kind, at debug when asked', async () => {
    const logger = new RecordingLogger();
    const { app } = makeApp({}, logger);
    await app.start();
    const listener = app.get(MEMORY_LISTENER);
    for (let i = 0; i < 1000; i++) listener.inject('no pipe here');
    app.get(DOGSTATSD_SERVER).flush();
    expect(app.telemetry()['DogstatsdServer']).toMatchObject({ 'parse_errors.metric_format': 1000 });
    expect(logger.lines.filter((l) => l.level === 'warn' && l.obj['reason'] === 'metric_format')).toHaveLength(1);
    await app.stop(); // the unlogged rest is reported at stop
    expect(logger.lines.filter((l) => l.level === 'warn' && l.obj['reason'] === 'metric_format').map((l) => l.obj['dropped'])).toEqual([1, 999]);

    const quiet = new RecordingLogger();
    const second = makeApp({ dogstatsd_disable_verbose_logs: true }, quiet);
    await second.app.start();
    second.app.get(MEMORY_LISTENER).inject('no pipe here');
    second.app.get(DOGSTATSD_SERVER).flush();
    expect(quiet.lines.filter((l) => l.obj['reason'] === 'metric_format').map((l) => l.level)).toEqual(['debug']);
  });

  it('drops and counts packets handed over before start or after stop', () => {
    const server = new MainThreadServer(new FakeDemultiplexer(), dsdConfig(), new RecordingLogger());
    server.enqueue(Buffer.from('a:1|c'), 'udp');
    server.onStart();
    server.onStop();
    server.enqueue(Buffer.from('a:1|c'), 'udp');
    expect(server.telemetry()).toMatchObject({ 'dropped.not_running': 2, samples: 0 });
  });

  it('a disabled UDP listener (dogstatsd_port 0) and unset sockets start as no-ops', async () => {
    const { app } = makeApp();
    await app.start();
    expect(app.get(UDP_LISTENER).listening).toBe(false);
  });
});
