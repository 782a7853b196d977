import { describe, expect, it } from '@jest/globals';
import { configFromObject } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { FakeSerializer, fakeSerializerBundle, type Event, type Serie, type ServiceCheck } from '@agentkit/serializer';
import { aggregatorBundle, AggregatorErrorCode, DEMULTIPLEXER, KeyedSample } from '../../src/index.js';
import { HOST, nowSec, sample, startAggregator, until } from './helpers.js';

const FAST = { DD_AGGREGATOR_FLUSH_INTERVAL: '0.02' };

describe('TimeSamplingDemultiplexer', () => {
  describe('periodic flush (aggregator_flush_interval)', () => {
    it('hands closed buckets to the serializer on its own', async () => {
      const fake = new FakeSerializer();
      const { demux } = await startAggregator(FAST, fake);
      const past = Math.floor(nowSec()) - 60;
      demux.addSamples([sample('c', 'counter', 4, past), sample('c', 'counter', 6, past)]);
      await until(() => fake.series.length > 0);
      expect(fake.named('c')).toEqual([{ name: 'c', points: [{ timestamp: past - (past % 10), value: 1 }], tags: [], host: HOST, type: 'rate', interval: 10 }]);
    });

    it('never overlaps two flushes while the serializer is slow', async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      let calls = 0;
      const slow = new FakeSerializer();
      slow.sendSeries = async (series) => {
        calls++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 150));
        inFlight--;
        slow.series.push(...series);
      };
      const { demux } = await startAggregator(FAST, slow);
      const timer = setInterval(() => demux.addSamples([sample('g', 'gauge', 1, nowSec() - 60)]), 5);
      try {
        await until(() => calls >= 3);
      } finally {
        clearInterval(timer);
      }
      expect(maxInFlight).toBe(1);
      expect(demux.telemetry().flushes_skipped).toBeGreaterThan(0);
    });

    it('expires contexts unseen for dogstatsd_context_expiry_seconds, but not zero-filled counters', async () => {
      const fake = new FakeSerializer();
      const { demux } = await startAggregator(FAST, fake);
      const past = nowSec() - 100;
      demux.addSamples([sample('g', 'gauge', 1, past), sample('c', 'counter', 1, past)]);
      expect(demux.telemetry().contexts).toBe(2);
      await until(() => demux.telemetry().contexts === 1);
      expect(demux.telemetry().zero_filled_counters).toBe(1);
    });
  });

  describe('samples carrying their tags as a key (KeyedSample)', () => {
    it('aggregate into the same context and series as samples with a tags array', async () => {
      const fake = new FakeSerializer();
      const { demux } = await startAggregator(FAST, fake);
      const past = Math.floor(nowSec()) - 60;
      demux.addSamples([
        sample('k', 'counter', 4, past, ['b:2', 'a:1']),
        new KeyedSample('k', 6, 'counter', 'a:1,b:2', HOST, 1, past),
        new KeyedSample('k', 3, 'gauge', 'a:1,c', HOST, 1, past),
        new KeyedSample('kd', 5, 'distribution', 'a:1,b:2', HOST, 0.5, past),
      ]);
      expect(demux.telemetry().contexts).toBe(3);
      await until(() => fake.named('k').length === 2 && fake.sketches.length === 1);
      const bucket = past - (past % 10);
      expect(fake.named('k')).toEqual(
        expect.arrayContaining([
          { name: 'k', points: [{ timestamp: bucket, value: 1 }], tags: ['a:1', 'b:2'], host: HOST, type: 'rate', interval: 10 },
          { name: 'k', points: [{ timestamp: bucket, value: 3 }], tags: ['a:1', 'c'], host: HOST, type: 'gauge', interval: 10 },
        ]),
      );
      expect(fake.sketches[0]).toMatchObject({ name: 'kd', tags: ['a:1', 'b:2'], host: HOST });
    });

    it('split their key only when tags are read, once', () => {
      const s = new KeyedSample('k', 1, 'counter', 'a:1,b:2', HOST, 1, 0);
      expect(s.tags).toEqual(['a:1', 'b:2']);
      expect(s.tags).toBe(s.tags);
      expect(Object.isFrozen(s.tags)).toBe(true);
    });
  });

  describe('events and service checks', () => {
    it('are handed over with the next flush, timestamp 0 set to the flush time and tags sort-uniqued', async () => {
      const fake = new FakeSerializer();
      const { demux } = await startAggregator(FAST, fake);
      const event: Event = { title: 't', text: 'x', timestamp: 0, host: HOST, tags: ['b', 'a', 'b'], priority: 'normal', alertType: 'info' };
      const check: ServiceCheck = { name: 'up', status: 0, timestamp: 0, host: HOST, tags: [], message: '' };
      const before = Math.floor(nowSec());
      demux.addEvents([event, { ...event, title: 'dated', timestamp: 1234 }]);
      demux.addServiceChecks([check]);
      await until(() => fake.events.length === 2 && fake.serviceChecks.length === 1);
      const after = Math.floor(nowSec());
      const stamped = fake.events.find((e) => e.title === 't');
      expect(stamped?.timestamp).toBeGreaterThanOrEqual(before);
      expect(stamped?.timestamp).toBeLessThanOrEqual(after);
      expect(stamped?.tags).toEqual(['a', 'b']);
      expect(fake.events.find((e) => e.title === 'dated')?.timestamp).toBe(1234);
      expect(fake.serviceChecks[0]?.timestamp).toBeGreaterThanOrEqual(before);
      expect(event.timestamp).toBe(0);
    });
  });

  describe('no-aggregation pipeline (timestamped samples)', () => {
    it('keeps each sample as sent, at its own timestamp; counters as RATE value / 10', async () => {
      const fake = new FakeSerializer();
      const { demux } = await startAggregator(FAST, fake);
      demux.addTimestampedSamples([
        sample('g', 'gauge', 5, 1_657_100_430, ['t']),
        sample('g', 'gauge', 6, 1_657_100_431, ['t']),
        sample('c', 'counter', 30, 1_657_100_440),
        sample('h', 'histogram', 1, 1_657_100_440),
      ]);
      await until(() => fake.series.length === 3);
      expect(fake.named('g').map((s) => s.points)).toEqual([[{ timestamp: 1_657_100_430, value: 5 }], [{ timestamp: 1_657_100_431, value: 6 }]]);
      expect(fake.named('c')).toEqual([{ name: 'c', points: [{ timestamp: 1_657_100_440, value: 3 }], tags: [], host: HOST, type: 'rate', interval: 10 }]);
      expect(demux.telemetry()['dropped.no_aggregation_unsupported_type']).toBe(1);
    });

    it('sends a batch as soon as dogstatsd_no_aggregation_pipeline_batch_size samples are pending', async () => {
      const fake = new FakeSerializer();
      const { demux } = await startAggregator({ DD_DOGSTATSD_NO_AGGREGATION_PIPELINE_BATCH_SIZE: '3' }, fake);
      demux.addTimestampedSamples([1, 2, 3, 4].map((v) => sample('g', 'gauge', v, 1_657_100_430 + v)));
      await Promise.resolve();
      expect(fake.calls.series).toBe(1);
      expect(fake.series).toHaveLength(3);
    });

    it('aggregates timestamped samples in their bucket when the pipeline is off', async () => {
      const fake = new FakeSerializer();
      const app = createTestApp([aggregatorBundle, fakeSerializerBundle(fake)], {
        config: configFromObject({ dogstatsd_no_aggregation_pipeline: false, aggregator_flush_interval: 0.02 }),
      });
      await app.start();
      app.get(DEMULTIPLEXER).addTimestampedSamples([sample('g', 'gauge', 5, 1_657_100_431), sample('g', 'gauge', 6, 1_657_100_432)]);
      await until(() => fake.series.length > 0);
      expect(fake.named('g')).toEqual([{ name: 'g', points: [{ timestamp: 1_657_100_430, value: 6 }], tags: [], host: HOST, type: 'gauge', interval: 10 }]);
    });
  });

  it('counts and drops samples of new contexts beyond dogstatsd_context_limit', async () => {
    const fake = new FakeSerializer();
    const { app, demux } = await startAggregator({ DD_DOGSTATSD_CONTEXT_LIMIT: '2' }, fake);
    const t = nowSec();
    demux.addSamples([sample('a', 'gauge', 1, t), sample('b', 'gauge', 1, t), sample('c', 'gauge', 1, t), sample('a', 'gauge', 2, t), sample('d', 'gauge', 1, t)]);
    expect(demux.telemetry()['dropped.context_limit']).toBe(2);
    await app.stop();
    expect(fake.series.map((s) => s.name).sort()).toEqual(['a', 'b']);
  });

  it('counts NaN and ±Inf values as dropped', async () => {
    const { demux } = await startAggregator();
    demux.addSamples([sample('g', 'gauge', NaN, nowSec()), sample('d', 'distribution', Infinity, nowSec())]);
    expect(demux.telemetry()['dropped.invalid_value']).toBe(2);
  });

  it('refuses an unknown histogram aggregate at start, naming the key', async () => {
    const app = createTestApp([aggregatorBundle, fakeSerializerBundle()], { config: configFromObject({ histogram_aggregates: ['max', 'p99'] }) });
    const error = await app.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    const text = JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error as { cause?: unknown }).cause);
    expect(text).toContain(AggregatorErrorCode.InvalidHistogramConfig);
    expect(text).toContain('histogram_aggregates');
  });

  it('shards over dogstatsd_pipeline_count samplers without changing the result', async () => {
    const results: Serie[][] = [];
    for (const count of ['1', '4']) {
      const fake = new FakeSerializer();
      const { app, demux } = await startAggregator({ DD_DOGSTATSD_PIPELINE_COUNT: count }, fake);
      const t = 1_700_000_005;
      for (let i = 0; i < 100; i++) demux.addSamples([sample(`m${i % 10}`, 'counter', i, t, [`shard:${i % 7}`])]);
      await app.stop();
      results.push([...fake.series].sort((a, b) => (a.name + a.tags.join()).localeCompare(b.name + b.tags.join())));
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]?.length).toBe(70);
  });
});
