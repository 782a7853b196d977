import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import StatsD, { type StatsD as StatsDClient } from 'hot-shots';
import { freeTcpPort, freeUdpPort } from '@agentkit/core/testing';
import { getJson, pollUntil, startAgentProcessesKilledAfterEach } from './support/agent-process.js';

interface LocalSeries {
  metric: string;
  tags: string[];
  type: string;
  interval: number;
  points: [number, number][];
}
interface LocalSketch {
  metric: string;
  tags: string[];
  points: { count: number; min: number; max: number; p50: number; p95: number; p99: number }[];
}

const start = startAgentProcessesKilledAfterEach();

/** What one hot-shots client sends: every DogStatsD message type, named by transport. */
async function sendEverything(client: StatsDClient, transport: string): Promise<void> {
  const tags = [`transport:${transport}`];
  client.increment(`e2e.${transport}.count`, 3, tags);
  client.increment(`e2e.${transport}.count`, 4, tags);
  client.gauge(`e2e.${transport}.gauge`, 42, tags);
  for (const user of ['ann', 'bob', 'ann']) client.set(`e2e.${transport}.set`, user, tags);
  for (const v of [10, 20, 30]) client.histogram(`e2e.${transport}.hist`, v, tags);
  for (let v = 1; v <= 100; v++) client.distribution(`e2e.${transport}.dist`, v, tags);
  client.event(`e2e ${transport} event`, 'sent by hot-shots', { alert_type: 'warning' }, tags);
  client.check(`e2e.${transport}.check`, client.CHECKS.WARNING, { message: 'degraded' }, tags);
  await new Promise<void>((resolve, reject) => client.close((error?: Error) => (error ? reject(error) : resolve())));
}

/**
 * DogStatsD's Unix stream socket frames each payload with its length (4 bytes, little endian),
 * as Datadog's clients do; hot-shots' raw `stream` transport writes bare payloads, so frame them.
 */
function lengthPrefixed(socket: Socket): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const header = Buffer.alloc(4);
      header.writeUInt32LE(chunk.length);
      socket.write(Buffer.concat([header, chunk]), callback);
    },
  });
}

/** The value a series adds up to over the run: counts are sent as rates per second of their interval. */
function total(series: readonly LocalSeries[], metric: string): number {
  let sum = 0;
  for (const s of series.filter((x) => x.metric === metric)) for (const [, v] of s.points) sum += s.type === 'rate' ? v * s.interval : v;
  return sum;
}

function last(series: readonly LocalSeries[], metric: string): number | undefined {
  return series.find((s) => s.metric === metric)?.points.at(-1)?.[1];
}

describe('agentkit run, fed by a real DogStatsD client (hot-shots)', () => {
  it('delivers counters, gauges, sets, histograms, distributions, events and service checks over UDP and the Unix stream socket', async () => {
    const intakePort = await freeTcpPort();
    const intake = start(['intake', '--port', String(intakePort)], {});
    await intake.waitForStdout(/local intake on (http:\S+)\//);
    const intakeUrl = `http://127.0.0.1:${intakePort}`;

    const udpPort = await freeUdpPort();
    const socketPath = join(mkdtempSync(join(tmpdir(), 'agentkit-e2e-')), 'dsd.sock');
    const agent = start(['run'], {
      DD_API_KEY: '0123456789abcdef0123456789abcdef',
      DD_DD_URL: intakeUrl,
      DD_DOGSTATSD_PORT: String(udpPort),
      DD_DOGSTATSD_STREAM_SOCKET: socketPath,
      DD_CMD_PORT: '0',
      DD_HOSTNAME: 'e2e-host',
    });
    await agent.waitForStdout(/unix stream/);

    await sendEverything(new StatsD({ host: '127.0.0.1', port: udpPort, protocol: 'udp', datadog: false }), 'udp');
    const socket = createConnection(socketPath);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    await sendEverything(new StatsD({ protocol: 'stream', stream: lengthPrefixed(socket), datadog: false }), 'uds');
    await new Promise<void>((resolve) => socket.end(resolve));

    // SIGTERM: the agent drains everything (incomplete buckets included) to the intake, then exits 0.
    expect(await agent.stop('SIGTERM')).toBe(0);

    const series = await getJson<LocalSeries[]>(`${intakeUrl}/api/local/series`);
    const sketches = await getJson<LocalSketch[]>(`${intakeUrl}/api/local/sketches`);
    const events = await getJson<{ title: string; tags: string[] }[]>(`${intakeUrl}/api/local/events`);
    const checks = await getJson<{ check: string; status: number }[]>(`${intakeUrl}/api/local/service_checks`);
    for (const transport of ['udp', 'uds']) {
      expect(total(series, `e2e.${transport}.count`)).toBeCloseTo(7, 6);
      expect(last(series, `e2e.${transport}.gauge`)).toBe(42);
      expect(last(series, `e2e.${transport}.set`)).toBe(2);
      expect(last(series, `e2e.${transport}.hist.max`)).toBe(30);
      expect(last(series, `e2e.${transport}.hist.avg`)).toBe(20);
      expect(total(series, `e2e.${transport}.hist.count`)).toBeCloseTo(3, 6);
      expect(series.find((s) => s.metric === `e2e.${transport}.gauge`)?.tags).toContain(`transport:${transport}`);
      const dist = sketches.find((s) => s.metric === `e2e.${transport}.dist`);
      expect(dist?.points.reduce((n, p) => n + p.count, 0)).toBe(100);
      expect(dist?.points[0]?.min).toBe(1);
      expect(dist?.points[0]?.max).toBe(100);
      // The agent sketch's relative accuracy is about 1 %.
      expect(dist?.points[0]?.p50).toBeGreaterThan(48);
      expect(dist?.points[0]?.p50).toBeLessThan(52);
      expect(dist?.points[0]?.p99).toBeGreaterThan(97);
      expect(events.map((e) => e.title)).toContain(`e2e ${transport} event`);
      expect(checks).toEqual(expect.arrayContaining([expect.objectContaining({ check: `e2e.${transport}.check`, status: 1 })]));
    }
  });

  it('with no API key, embeds the local intake: a metric sent with a plain UDP line shows up there within one flush', async () => {
    const udpPort = await freeUdpPort();
    const agent = start(['run'], {
      DD_DOGSTATSD_PORT: String(udpPort),
      DD_LOCAL_INTAKE_PORT: '0',
      DD_CMD_PORT: '0',
      DD_AGGREGATOR_FLUSH_INTERVAL: '1',
    });
    const [, intakeUrl] = await agent.waitForStdout(/Local intake (http:\S+)\//);
    const [, statusUrl] = await agent.waitForStdout(/Status\s+(http:\S+)\/status/);
    const { createSocket } = await import('node:dgram');
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => udp.send('demo.metric:1|c', udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    udp.close();
    // Buckets are 10 s: the metric is shipped once its bucket closes (plus a 1 s flush interval).
    const series = await pollUntil(
      () => getJson<LocalSeries[]>(`${intakeUrl}/api/local/series`),
      (s) => s.some((x) => x.metric === 'demo.metric'),
      'demo.metric at the embedded intake',
      25_000,
    );
    expect(total(series, 'demo.metric')).toBeCloseTo(1, 6);
    // The pipeline's counters: at the status port and on the intake's page data.
    const status = await getJson<{ components: Record<string, Record<string, number>> }>(`${statusUrl}/status`);
    expect(Object.keys(status.components)).toEqual(expect.arrayContaining(['UdpListener', 'DogstatsdServer', 'Demultiplexer', 'Serializer', 'Forwarder']));
    const agentCounters = await getJson<Record<string, Record<string, number>>>(`${intakeUrl}/api/local/agent`);
    expect(Object.keys(agentCounters)).toContain('Forwarder');
    expect(await agent.stop('SIGINT')).toBe(0);
  }, 40_000);

  it('sends the host metadata at start: tags + extra_tags + env, as the Agent\'s host-tags.system', async () => {
    const agent = start(['run'], {
      DD_DOGSTATSD_PORT: String(await freeUdpPort()),
      DD_LOCAL_INTAKE_PORT: '0',
      DD_CMD_PORT: '-1',
      DD_HOSTNAME: 'e2e-host',
      DD_TAGS: 'team:e2e role:web',
      DD_EXTRA_TAGS: 'zone:b team:e2e',
      DD_ENV: 'prod',
    });
    const [, intakeUrl] = await agent.waitForStdout(/Local intake (http:\S+)\//);
    const hosts = await pollUntil(
      () => getJson<{ hostname: string; tags: string[]; agentVersion: string }[]>(`${intakeUrl}/api/local/hosts`),
      (h) => h.length > 0,
      'the host metadata at the embedded intake',
    );
    expect(hosts).toEqual([expect.objectContaining({ hostname: 'e2e-host', tags: ['env:prod', 'role:web', 'team:e2e', 'zone:b'] })]);
    expect(hosts[0]?.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
    // It is not taken for an event.
    expect(await getJson<unknown[]>(`${intakeUrl}/api/local/events`)).toEqual([]);
    expect(await agent.stop('SIGINT')).toBe(0);
  }, 40_000);
});
