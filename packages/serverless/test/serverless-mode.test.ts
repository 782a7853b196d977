import { afterEach, describe, expect, it } from '@jest/globals';
import { createSocket } from 'node:dgram';
import { hostname } from 'node:os';
import type { App } from '@agentkit/core';
import { freeUdpPort } from '@agentkit/core/testing';
import { dogstatsdBundle, UDP_LISTENER } from '@agentkit/dogstatsd';
import type { DecodedMetricSeries } from '@agentkit/serializer';
import { detectCloudService, serverlessBundle } from '../src/index.js';
import { startPipeline, waitUntil } from './helpers.js';

// serverless-init's custom metrics: product Serverless (1), category Cloud Run (36), service 472.
const CUSTOM_ORIGIN = { metricType: 0, product: 1, category: 36, service: 472 };
// DogStatsD's own: product Agent (10), category DogStatsD (10).
const DOGSTATSD_ORIGIN = { metricType: 0, product: 10, category: 10, service: 0 };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const hostOf = (s: DecodedMetricSeries | undefined): string | undefined => s?.resources.find((r) => r.type === 'host')?.name;

/** Sends `lines` over real UDP and waits until the demultiplexer took them all. */
async function sendAndWait(app: App, lines: readonly string[]): Promise<void> {
  const socket = createSocket('udp4');
  try {
    const port = app.get(UDP_LISTENER).port;
    for (const line of lines) await new Promise<void>((resolve, reject) => socket.send(line, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  } finally {
    socket.close();
  }
  const taken = (): number => {
    const demux = app.telemetry()['Demultiplexer'] ?? {};
    return (demux['samples'] ?? 0) + (demux['timestamped_samples'] ?? 0);
  };
  await waitUntil(() => taken() >= lines.length, `${lines.length} samples in the demultiplexer`);
}

const LINES = (now: number): string[] => ['orders.placed:2|c|#shop:eu', 'orders.value:12|d', `orders.queue:5|g|T${now}`];

describe('serverless mode (agentkit exec\'s config)', () => {
  const cloud = detectCloudService({ K_SERVICE: 'checkout' });

  it('sends DogStatsD metrics with an empty host, the configured and platform metric tags and the serverless custom origin', async () => {
    const env = { DD_DOGSTATSD_PORT: String(await freeUdpPort()), DD_HOSTNAME: 'web-1', DD_ENV: 'prod', DD_TAGS: 'container_id:abc' };
    const { app, intake, close } = await startPipeline(cloud, [dogstatsdBundle, serverlessBundle(cloud)], env);
    closers.push(close);
    await sendAndWait(app, LINES(Math.floor(Date.now() / 1000)));
    await app.stop();

    const placed = intake.series().find((s) => s.metric === 'orders.placed');
    expect(hostOf(placed)).toBe('');
    expect(placed?.origin).toEqual(CUSTOM_ORIGIN);
    expect([...(placed?.tags ?? [])].sort()).toEqual([...cloud.metricTags, 'env:prod', 'shop:eu'].sort());
    expect(placed?.tags).not.toContain('container_id:abc');

    const value = intake.sketches().find((s) => s.metric === 'orders.value');
    expect(value?.host).toBe('');
    expect(value?.origin).toEqual(CUSTOM_ORIGIN);

    // A client timestamp takes the no-aggregation pipeline: same host and origin.
    const queue = intake.series().find((s) => s.metric === 'orders.queue');
    expect(hostOf(queue)).toBe('');
    expect(queue?.origin).toEqual(CUSTOM_ORIGIN);
  });

  it('is off for a plain agent: the host and the DogStatsD origin stay', async () => {
    const { app, intake, close } = await startPipeline(null, [dogstatsdBundle], { DD_DOGSTATSD_PORT: String(await freeUdpPort()) });
    closers.push(close);
    await sendAndWait(app, LINES(Math.floor(Date.now() / 1000)));
    await app.stop();
    const placed = intake.series().find((s) => s.metric === 'orders.placed');
    expect(hostOf(placed)).toBe(hostname());
    expect(placed?.origin).toEqual(DOGSTATSD_ORIGIN);
    expect(placed?.tags).toEqual(['shop:eu']);
    expect(intake.sketches().find((s) => s.metric === 'orders.value')?.origin).toEqual(DOGSTATSD_ORIGIN);
    expect(intake.series().find((s) => s.metric === 'orders.queue')?.origin).toEqual(DOGSTATSD_ORIGIN);
  });
});
