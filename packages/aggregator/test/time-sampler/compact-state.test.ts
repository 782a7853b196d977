import { describe, expect, it } from '@jest/globals';
import type { MetricType } from '../../src/demultiplexer/demultiplexer.def.js';
import { ContextResolver } from '../../src/context/context-resolver.js';
import { AgentSketch } from '../../src/sketch/agent-sketch.js';
import { parseHistogramConfig } from '../../src/time-sampler/histogram-config.js';
import { SeriesCollector } from '../../src/time-sampler/series-collector.js';
import { TimeSampler } from '../../src/time-sampler/time-sampler.js';

function setup() {
  const resolver = new ContextResolver({ contextLimit: 0, shards: 1 });
  const histograms = parseHistogramConfig(['min', 'max', 'median', 'avg', 'sum', 'count'], ['0.5', '0.95']);
  const sampler = new TimeSampler({ counterExpirySec: 300, histograms });
  const add = (name: string, type: MetricType, value: number, tsSec: number, rate = 1): void => {
    const ctx = resolver.resolve(name, 'h', []);
    if (ctx === undefined) throw new Error('no context');
    sampler.sample(ctx, type, value, undefined, rate, tsSec);
  };
  const flush = (nowSec: number, forceAll = false) => new SeriesCollector().collect(sampler.flush(nowSec, forceAll));
  const points = (out: ReturnType<typeof flush>) => Object.fromEntries(out.series.map((s) => [s.name, s.points.map((p) => [p.timestamp, p.value])]));
  return { resolver, sampler, add, flush, points };
}

describe('open buckets without an index (the context slot names the newest bucket)', () => {
  it('a late sample for an older open bucket adds to the aggregate it has there, not to a second one', () => {
    const { add, flush, points } = setup();
    add('c', 'counter', 1, 110);
    add('c', 'counter', 2, 100); // late: bucket 100 is still open
    add('c', 'counter', 4, 100);
    add('c', 'counter', 8, 110);
    add('g', 'gauge', 1, 100);
    add('g', 'gauge', 2, 110);
    add('g', 'gauge', 3, 100); // late again: the gauge of bucket 100 takes the value
    expect(points(flush(130))).toEqual({ c: [[100, 0.6], [110, 0.9]], g: [[100, 3], [110, 2]] });
  });

  it('a context sampled as a series and as a sketch keeps one aggregate of each per bucket', () => {
    const { add, flush, points } = setup();
    for (const ts of [100, 110, 100, 110, 105]) {
      add('x', 'gauge', ts, ts);
      add('x', 'distribution', ts, ts);
    }
    const out = flush(200, true);
    expect(points(out)).toEqual({ x: [[100, 105], [110, 110]] });
    expect(out.sketches.map((s) => s.points.map((p) => [p.ts, p.cnt, p.sum]))).toEqual([
      [
        [100, 3, 305],
        [110, 2, 220],
      ],
    ]);
  });

  it('zero-fills only the counters a closing bucket does not hold, and leaves no context marked', () => {
    const { resolver, add, flush, points } = setup();
    add('a', 'counter', 10, 100);
    add('a', 'counter', 20, 110);
    add('b', 'counter', 30, 100);
    // Bucket 100 closes while 110 is open: a and b are in it, with their values, once each.
    expect(points(flush(115))).toEqual({ a: [[100, 1]], b: [[100, 3]] });
    // Bucket 110: a has its sample, b (not sampled there) gets its zero.
    expect(points(flush(125))).toEqual({ a: [[110, 2]], b: [[110, 0]] });
    expect(points(flush(135))).toEqual({ a: [[120, 0]], b: [[120, 0]] });
    expect(resolver.contexts().filter((c) => c.marked)).toEqual([]);
  });

  it('a late sample for a flushed bucket opens it again, and the newer bucket still finds its aggregate', () => {
    const { add, flush, points } = setup();
    add('c', 'counter', 1, 100);
    add('c', 'counter', 2, 110);
    expect(points(flush(115))).toEqual({ c: [[100, 0.1]] });
    add('c', 'counter', 4, 105); // bucket 100 again, after its flush
    add('c', 'counter', 8, 110);
    expect(points(flush(125))).toEqual({ c: [[100, 0.4], [110, 1]] });
  });
});

describe('a histogram or a sketch with one value holds no array', () => {
  it('one weighted value: every order statistic is the value, the count and sum are weighted', () => {
    const { add, flush, points } = setup();
    add('h', 'histogram', 7, 100, 0.25);
    expect(points(flush(110))).toEqual({
      'h.min': [[100, 7]],
      'h.max': [[100, 7]],
      'h.median': [[100, 7]],
      'h.avg': [[100, 7]],
      'h.sum': [[100, 28]],
      'h.count': [[100, 0.4]],
      'h.50percentile': [[100, 7]],
      'h.95percentile': [[100, 7]],
    });
  });

  it('a weighted first value then an unweighted one: weights kept for both', () => {
    const { add, flush, points } = setup();
    add('h', 'histogram', 30, 100, 0.25); // weight 4
    add('h', 'histogram', 10, 101); // weight 1
    // sorted: 10 (w 1), 30 (w 4); count 5; median target 2 → 30; 50th (50·5 − 1) / 100 = 2 → 30
    expect(points(flush(110))).toMatchObject({ 'h.min': [[100, 10]], 'h.median': [[100, 30]], 'h.sum': [[100, 130]], 'h.count': [[100, 0.5]], 'h.50percentile': [[100, 30]] });
  });

  it('a sketch of one value is the sketch the buffered path makes', () => {
    const one = new AgentSketch();
    one.insert(12.5);
    expect(one.bufferedKeys).toBe(1);
    expect(one.isEmpty()).toBe(false);
    const viaMerge = new AgentSketch();
    viaMerge.merge(one);
    const two = new AgentSketch();
    two.insert(12.5);
    two.insert(3);
    expect(two.bufferedKeys).toBe(2);
    const reference = new AgentSketch();
    reference.insert(3);
    reference.insert(12.5);
    expect(two.bins()).toEqual(reference.bins());
    expect(one.finish(100)).toEqual(viaMerge.finish(100));
    expect(one.bins()).toHaveLength(1);
    expect(one.quantile(0.5)).toBe(viaMerge.quantile(0.5));
  });
});

describe('ContextResolver without a list of its contexts', () => {
  it('grows its table, expires contexts from the middle of chains, and resolves the rest to the same objects', () => {
    const resolver = new ContextResolver({ contextLimit: 6000, shards: 1 });
    const tags = (i: number): readonly string[] => Object.freeze([`k:${i}`]);
    const first = Array.from({ length: 5000 }, (_, i) => resolver.resolveKey(`m${i % 7}`, 'h', `k:${i}`));
    first.forEach((ctx, i) => {
      if (ctx !== undefined) ctx.lastSeenSec = i % 2 === 0 ? 100 : 50;
    });
    const removed: string[] = [];
    expect(resolver.expire(60, (ctx) => void removed.push(ctx.tagKey as string))).toBe(2500);
    expect(removed.every((key) => Number(key.slice(2)) % 2 === 1)).toBe(true);
    expect(resolver.size).toBe(2500);
    expect(resolver.contexts()).toHaveLength(2500);
    for (let i = 0; i < 5000; i++) {
      const again = resolver.resolve(`m${i % 7}`, 'h', tags(i));
      if (i % 2 === 0) expect(again).toBe(first[i]);
      else {
        // An expired context is never handed out again: the same key makes a new one.
        expect(again).not.toBe(first[i]);
        expect(first[i]?.released).toBe(true);
      }
    }
    // The expired contexts' places count against the limit no more.
    expect(resolver.size).toBe(5000);
    expect(Array.from({ length: 2000 }, (_, i) => resolver.resolveKey('new', 'h', `n:${i}`)).filter((c) => c === undefined)).toHaveLength(1000);
    expect(resolver.size).toBe(6000);
  });
});
