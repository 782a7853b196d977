import { describe, expect, it } from '@jest/globals';
import { FakeSerializer, type Serializer } from '@agentkit/serializer';
import type { MetricSample } from '../../src/index.js';
import { HOST, nowSec, sample, startAggregator } from './helpers.js';

describe('TimeSamplingDemultiplexer stop', () => {
  it('loses nothing: 1 M samples across 50k contexts all reach the serializer, as values', async () => {
    const fake = new FakeSerializer();
    const { app, demux } = await startAggregator({}, fake);
    const COUNTERS = 40_000;
    const DISTRIBUTIONS = 10_000;
    const PER_CONTEXT = 20;
    // Contexts share names and tag arrays as parsed traffic does: 50 names × 1000 tag arrays.
    const tagArrays = Array.from({ length: 1000 }, (_, i) => Object.freeze([`id:${i}`, 'env:test', `zone:${i % 3}`]));
    const t = nowSec();
    let expectedCounterSum = 0;
    let expectedDistributionSum = 0;
    let batch: MetricSample[] = [];
    for (let round = 0; round < PER_CONTEXT; round++) {
      for (let c = 0; c < COUNTERS + DISTRIBUTIONS; c++) {
        const tags = tagArrays[c % 1000] as readonly string[];
        const name = `m${Math.floor(c / 1000)}`;
        const value = (c % 97) + round;
        if (c < COUNTERS) {
          batch.push(sample(name, 'counter', value, t, tags));
          expectedCounterSum += value;
        } else {
          batch.push(sample(name, 'distribution', value, t, tags));
          expectedDistributionSum += value;
        }
        if (batch.length === 2048) {
          demux.addSamples(batch);
          batch = [];
        }
      }
    }
    demux.addSamples(batch);
    expect(demux.telemetry().samples).toBe(1_000_000);
    expect(demux.telemetry().contexts).toBe(50_000);
    // Everything is in the current, incomplete bucket: nothing is flushed before the stop.
    expect(fake.series).toHaveLength(0);

    await app.stop();

    const counterPoints = fake.series.flatMap((s) => s.points);
    expect(new Set(fake.series.map((s) => `${s.name}|${s.tags.join(',')}`)).size).toBe(COUNTERS);
    expect(fake.series.every((s) => s.type === 'rate' && s.host === HOST)).toBe(true);
    expect(counterPoints.reduce((sum, p) => sum + p.value * 10, 0)).toBeCloseTo(expectedCounterSum, 3);
    const sketchPoints = fake.sketches.flatMap((s) => s.points);
    expect(new Set(fake.sketches.map((s) => `${s.name}|${s.tags.join(',')}`)).size).toBe(DISTRIBUTIONS);
    expect(sketchPoints.reduce((n, p) => n + p.cnt, 0)).toBe(DISTRIBUTIONS * PER_CONTEXT);
    expect(sketchPoints.reduce((n, p) => n + p.sum, 0)).toBe(expectedDistributionSum);
    expect(demux.telemetry()['dropped.stop_timeout']).toBeUndefined();
  });

  it('keeps the Agent behaviour when dogstatsd_flush_incomplete_buckets is false: the open bucket is not sent', async () => {
    const fake = new FakeSerializer();
    const { app, demux } = await startAggregator({ DD_DOGSTATSD_FLUSH_INCOMPLETE_BUCKETS: 'false' }, fake);
    const t = nowSec();
    demux.addSamples([sample('closed', 'gauge', 1, t - 60), sample('open', 'gauge', 1, t)]);
    await app.stop();
    expect(fake.series.map((s) => s.name)).toEqual(['closed']);
  });

  it('hands over events, service checks and pending timestamped samples', async () => {
    const fake = new FakeSerializer();
    const { app, demux } = await startAggregator({}, fake);
    demux.addEvents([{ title: 't', text: '', timestamp: 0, host: HOST, tags: [], priority: 'low', alertType: 'info' }]);
    demux.addServiceChecks([{ name: 'up', status: 2, timestamp: 5, host: HOST, tags: [], message: 'down' }]);
    demux.addTimestampedSamples([sample('ts', 'gauge', 1, 1_657_100_430)]);
    await app.stop();
    expect(fake.events).toHaveLength(1);
    expect(fake.serviceChecks).toEqual([{ name: 'up', status: 2, timestamp: 5, host: HOST, tags: [], message: 'down' }]);
    expect(fake.named('ts')).toHaveLength(1);
  });

  it('resolves after aggregator_stop_timeout when the serializer never accepts, counting what was not confirmed', async () => {
    const never = new Promise<void>(() => {});
    const hanging: Serializer = {
      sendSeries: () => never,
      sendSketches: () => never,
      sendEvents: () => never,
      sendServiceChecks: () => never,
    };
    const { app, demux } = await startAggregator({ DD_AGGREGATOR_STOP_TIMEOUT: '0.2' }, hanging);
    const t = nowSec();
    demux.addSamples([sample('a', 'gauge', 1, t), sample('b', 'gauge', 1, t), sample('d', 'distribution', 1, t)]);
    const started = Date.now();
    await app.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(demux.telemetry()['dropped.stop_timeout']).toBe(3);
  });

  it('counts input that arrives after stop instead of keeping it', async () => {
    const { app, demux } = await startAggregator();
    await app.stop();
    demux.addSamples([sample('late', 'gauge', 1, nowSec())]);
    demux.addEvents([{ title: 't', text: '', timestamp: 0, host: HOST, tags: [], priority: 'low', alertType: 'info' }]);
    expect(demux.telemetry()['dropped.after_stop']).toBe(2);
    expect(demux.telemetry().contexts).toBe(0);
  });

  it('is idempotent', async () => {
    const fake = new FakeSerializer();
    const { demux } = await startAggregator({}, fake);
    demux.addSamples([sample('g', 'gauge', 1, nowSec())]);
    await Promise.all([demux.onStop(), demux.onStop()]);
    await demux.onStop();
    expect(fake.calls.series).toBe(1);
  });
});
