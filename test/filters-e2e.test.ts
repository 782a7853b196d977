import { describe, expect, it } from '@jest/globals';
import { createSocket } from 'node:dgram';
import { freeTcpPort, freeUdpPort } from '@agentkit/core/testing';
import { getJson, startAgentProcessesKilledAfterEach } from './support/agent-process.js';

interface LocalSeries {
  metric: string;
  points: [number, number][];
}
interface LocalSketch {
  metric: string;
  tags: string[];
  points: { count: number; min: number; max: number }[];
}

const start = startAgentProcessesKilledAfterEach();

describe('agentkit run with the Agent\'s DogStatsD filters set by DD_* variables', () => {
  it('drops blocklisted names, copies histograms as distributions to the intake, and forwards every raw packet', async () => {
    const intakePort = await freeTcpPort();
    const intake = start(['intake', '--port', String(intakePort)], {});
    await intake.waitForStdout(/local intake on (http:\S+)\//);
    const intakeUrl = `http://127.0.0.1:${intakePort}`;

    const target = createSocket('udp4');
    const forwarded: Buffer[] = [];
    target.on('message', (message) => forwarded.push(message));
    await new Promise<void>((resolve) => target.bind(0, '127.0.0.1', resolve));

    const udpPort = await freeUdpPort();
    const agent = start(['run'], {
      DD_API_KEY: '0123456789abcdef0123456789abcdef',
      DD_DD_URL: intakeUrl,
      DD_DOGSTATSD_PORT: String(udpPort),
      DD_CMD_PORT: '0',
      DD_HOSTNAME: 'e2e-host',
      DD_STATSD_METRIC_BLOCKLIST: 'e2e.noisy e2e.debug.',
      DD_STATSD_METRIC_BLOCKLIST_MATCH_PREFIX: 'true',
      DD_HISTOGRAM_COPY_TO_DISTRIBUTION: 'true',
      DD_HISTOGRAM_COPY_TO_DISTRIBUTION_PREFIX: 'dist.',
      DD_STATSD_FORWARD_HOST: '127.0.0.1',
      DD_STATSD_FORWARD_PORT: String(target.address().port),
    });
    await agent.waitForStdout(/DogStatsD\s+udp:/);

    const packets = ['e2e.kept:1|c\ne2e.noisy:5|c\ne2e.noisy.sub:5|g', 'e2e.debug.x:1|c', 'e2e.lat:10:20|h|#k:v', 'e2e.rt:30|ms|#k:v'];
    const client = createSocket('udp4');
    for (const packet of packets) {
      await new Promise<void>((resolve, reject) => client.send(packet, udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    }
    client.close();
    const deadline = Date.now() + 5000;
    while (forwarded.length < packets.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    // SIGTERM: the agent drains everything to the intake, then exits 0.
    expect(await agent.stop('SIGTERM')).toBe(0);
    target.close();

    expect(forwarded.map((b) => b.toString('utf8'))).toEqual(packets);
    const series = await getJson<LocalSeries[]>(`${intakeUrl}/api/local/series`);
    const sketches = await getJson<LocalSketch[]>(`${intakeUrl}/api/local/sketches`);
    const names = new Set(series.map((s) => s.metric));
    expect(names.has('e2e.kept')).toBe(true);
    expect([...names].filter((n) => n.startsWith('e2e.noisy') || n.startsWith('e2e.debug.'))).toEqual([]);
    expect(names.has('e2e.lat.max')).toBe(true);
    const lat = sketches.find((s) => s.metric === 'dist.e2e.lat');
    expect(lat?.tags).toContain('k:v');
    expect([lat?.points.reduce((n, p) => n + p.count, 0), lat?.points[0]?.min, lat?.points[0]?.max]).toEqual([2, 10, 20]);
    expect(sketches.find((s) => s.metric === 'dist.e2e.rt')?.points[0]?.max).toBe(30);
  }, 40_000);
});
