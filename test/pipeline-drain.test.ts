import { describe, expect, it } from '@jest/globals';
import { aggregatorBundle } from '@agentkit/aggregator';
import { allConfigKeys } from '@agentkit/agent';
import { loadConfig } from '@agentkit/config';
import { createTestApp, freeUdpPort } from '@agentkit/core/testing';
import { dogstatsdBundle, UDP_LISTENER } from '@agentkit/dogstatsd';
import { forwarderBundle } from '@agentkit/forwarder';
import { serializerBundle } from '@agentkit/serializer';
import { startTestIntake } from '@agentkit/testing';
import { sendLinesFromChild } from './support/send-lines.js';

const LINES = 20_000;


// The architecture's central promise, across every real stage: UDP listener → server →
// demultiplexer → serializer → forwarder → an HTTP intake. Lines sent right before stop (still
// in the kernel queue, in batchers, in the current 10 s bucket) all arrive, decoded.
describe('the pipeline, stopped right after a burst', () => {
  it('delivers every counter increment, distribution value, event and service check to the intake', async () => {
    const intake = await startTestIntake();
    const config = loadConfig({
      keys: allConfigKeys,
      env: {
        DD_API_KEY: '0123456789abcdef0123456789abcdef',
        DD_DD_URL: intake.url,
        DD_DOGSTATSD_PORT: String(await freeUdpPort()),
        DD_AGGREGATOR_FLUSH_INTERVAL: '3600', // nothing is flushed before the stop
      },
    });
    const app = createTestApp([dogstatsdBundle, aggregatorBundle, serializerBundle, forwarderBundle], { config });
    await app.start();
    try {
      const lines: string[] = [];
      for (let i = 0; i < LINES; i++) {
        lines.push(i % 2 === 0 ? `pipeline.hits:1|c|#shard:${i % 50}` : `pipeline.latency:${i % 100}|d|#shard:${i % 50}`);
      }
      lines.push('_e{5,4}:title|text|#shard:0', '_sc|pipeline.check|1|#shard:0|m:degraded');
      expect(await sendLinesFromChild(app.get(UDP_LISTENER).port, lines)).toBe(LINES + 2);
      await app.stop();

      // Counters are sent as RATE per 10 s bucket: value × interval is the count.
      const hits = intake.series().filter((s) => s.metric === 'pipeline.hits');
      const counted = hits.reduce((sum, s) => sum + s.points.reduce((p, pt) => p + pt.value * s.interval, 0), 0);
      expect(Math.round(counted)).toBe(LINES / 2);
      expect(new Set(hits.map((s) => s.tags.join(','))).size).toBe(25); // even i → even shards only

      const latency = intake.sketches().filter((s) => s.metric === 'pipeline.latency');
      const cnt = latency.reduce((sum, s) => sum + s.dogsketches.reduce((c, d) => c + d.cnt, 0), 0);
      const total = latency.reduce((sum, s) => sum + s.dogsketches.reduce((c, d) => c + d.sum, 0), 0);
      expect(cnt).toBe(LINES / 2);
      let expectedSum = 0;
      for (let i = 1; i < LINES; i += 2) expectedSum += i % 100;
      expect(total).toBeCloseTo(expectedSum, 6);

      expect(intake.events().map((e) => e.msg_title)).toEqual(['title']);
      expect(intake.serviceChecks().map((c) => [c.check, c.status, c.message])).toEqual([['pipeline.check', 1, 'degraded']]);
      for (const request of intake.requests.filter((r) => r.path !== '/api/v1/validate')) {
        expect(request.headers['dd-api-key']).toBe('0123456789abcdef0123456789abcdef');
      }
    } finally {
      await app.stop().catch(() => undefined);
      await intake.close();
    }
  });
});
