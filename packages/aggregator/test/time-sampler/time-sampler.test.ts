import { describe, expect, it } from '@jest/globals';
import type { MetricType } from '../../src/demultiplexer/demultiplexer.def.js';
import { ContextResolver } from '../../src/context/context-resolver.js';
import { parseHistogramConfig } from '../../src/time-sampler/histogram-config.js';
import { SeriesCollector } from '../../src/time-sampler/series-collector.js';
import { bucketStart, TimeSampler } from '../../src/time-sampler/time-sampler.js';

const HOST = 'host-a';

function setup(options: { counterExpirySec?: number; aggregates?: string[]; percentiles?: string[] } = {}) {
  const resolver = new ContextResolver({ contextLimit: 0, shards: 1 });
  const histograms = parseHistogramConfig(options.aggregates ?? ['max', 'median', 'avg', 'count'], options.percentiles ?? ['0.95']);
  const sampler = new TimeSampler({ counterExpirySec: options.counterExpirySec ?? 300, histograms });
  const add = (name: string, type: MetricType, value: number, tsSec: number, rate = 1, tags: readonly string[] = [], setValue?: string): boolean => {
    const ctx = resolver.resolve(name, HOST, tags);
    if (ctx === undefined) throw new Error('no context');
    return sampler.sample(ctx, type, value, setValue, rate, tsSec);
  };
  const flush = (nowSec: number, forceAll = false) => {
    return new SeriesCollector().collect(sampler.flush(nowSec, forceAll));
  };
  return { resolver, sampler, add, flush };
}

describe('bucketStart', () => {
  it('is ts − ts % 10 on whole seconds', () => {
    expect(bucketStart(100)).toBe(100);
    expect(bucketStart(109.999)).toBe(100);
    expect(bucketStart(110)).toBe(110);
    expect(bucketStart(1_700_000_009.5)).toBe(1_700_000_000);
  });
});

describe('TimeSampler', () => {
  describe('counters', () => {
    it('send a RATE of sum(value / rate) / 10 at the bucket start', () => {
      const { add, flush } = setup();
      add('c', 'counter', 5, 100.5);
      add('c', 'counter', 3, 104, 0.5);
      expect(flush(115).series).toEqual([{ name: 'c', points: [{ timestamp: 100, value: 1.1 }], tags: [], host: HOST, type: 'rate', interval: 10 }]);
    });

    it('are zero-filled for dogstatsd_expiry_seconds after their last sample, then dropped', () => {
      const { add, flush, sampler } = setup({ counterExpirySec: 30 });
      add('c', 'counter', 10, 100);
      expect(flush(115).series.map((s) => s.points)).toEqual([[{ timestamp: 100, value: 1 }]]);
      // No bucket at all: the zero goes at the last closed bucket (cutoff − 10).
      expect(flush(120).series.map((s) => s.points)).toEqual([[{ timestamp: 110, value: 0 }]]);
      expect(flush(130).series.map((s) => s.points)).toEqual([[{ timestamp: 120, value: 0 }]]);
      // 100 + 30 > 130 is false: no more zeros, and the counter is no longer tracked.
      expect(flush(140).series).toEqual([]);
      expect(sampler.counterCount).toBe(0);
    });

    it('get a zero in flushed buckets where another metric has samples, merged into one serie', () => {
      const { add, flush } = setup();
      add('c', 'counter', 10, 100);
      add('g', 'gauge', 1, 120);
      const series = flush(135).series;
      expect(series.find((s) => s.name === 'c')?.points).toEqual([
        { timestamp: 100, value: 1 },
        { timestamp: 120, value: 0 },
      ]);
      // The Agent zero-fills only buckets that exist: nothing at 110.
      expect(series.filter((s) => s.name === 'c')).toHaveLength(1);
    });

    it('are not zero-filled at all by a flush that closes no bucket while others are open', () => {
      const { add, flush } = setup();
      add('c', 'counter', 10, 100);
      flush(115);
      add('g', 'gauge', 1, 130);
      expect(flush(135).series).toEqual([]);
    });
  });

  it('gauges keep the last value and ignore the sample rate', () => {
    const { add, flush } = setup();
    add('g', 'gauge', 1, 100);
    add('g', 'gauge', 7, 101, 0.1);
    add('g', 'gauge', 3, 102);
    expect(flush(110).series).toEqual([{ name: 'g', points: [{ timestamp: 100, value: 3 }], tags: [], host: HOST, type: 'gauge', interval: 10 }]);
  });

  it('sets send a GAUGE of the number of distinct raw values', () => {
    const { add, flush } = setup();
    for (const member of ['a', 'b', 'a', 'abc:def', 'b']) add('s', 'set', NaN, 100, 1, [], member);
    expect(flush(110).series).toEqual([{ name: 's', points: [{ timestamp: 100, value: 3 }], tags: [], host: HOST, type: 'gauge', interval: 10 }]);
  });

  describe('histograms and timings', () => {
    it('send max, median, avg, count (RATE) and 95percentile with the Agent names', () => {
      const { add, flush } = setup();
      for (const v of [5, 1, 4, 2, 3]) add('h', 'histogram', v, 100);
      const got = flush(110).series.map((s) => [s.name, s.type, s.points[0]?.value]);
      expect(got).toEqual([
        ['h.max', 'gauge', 5],
        ['h.median', 'gauge', 3],
        ['h.avg', 'gauge', 3],
        ['h.count', 'rate', 0.5],
        ['h.95percentile', 'gauge', 5],
      ]);
    });

    it('rank values as a numeric sort does, with few values (sorted by insertion) and many (by Array#sort)', () => {
      // Shuffled by a fixed LCG; duplicates, negatives and -0 included.
      const values = (n: number): number[] => {
        let x = 12345;
        return Array.from({ length: n }, (_, i) => {
          x = (x * 1103515245 + 12345) % 2147483648;
          return i % 7 === 0 ? -0 : ((x % 200) - 100) / 4;
        });
      };
      for (const n of [2, 3, 31, 32, 33, 200]) {
        const { add, flush } = setup({ aggregates: ['min', 'max', 'median'], percentiles: ['0.1', '0.5', '0.95', '0.99'] });
        const vs = values(n);
        for (const v of vs) add('h', 'histogram', v, 100);
        const sorted = [...vs].sort((a, b) => a - b);
        const at = (target: number): number => sorted[Math.min(Math.max(target, 0), n - 1)] as number;
        const expected = [sorted[0], sorted[n - 1], at(Math.trunc((n - 1) / 2)), ...[10, 50, 95, 99].map((p) => at(Math.trunc((p * n - 1) / 100)))];
        expect(flush(110).series.map((s) => s.points[0]?.value)).toEqual(expected);
      }
    });

    it('weigh values by trunc(1 / rate) in the count, median and percentiles, and by 1 / rate in the sum', () => {
      const { add, flush } = setup({ aggregates: ['min', 'max', 'median', 'avg', 'sum', 'count'], percentiles: ['0.25', '0.5', '0.95'] });
      add('t', 'timing', 20, 100);
      add('t', 'timing', 30, 101, 0.25);
      add('t', 'timing', 10, 102, 0.5);
      // sorted: 10 (w 2), 20 (w 1), 30 (w 4); count 7; sum 20 + 20 + 120 = 160
      const got = Object.fromEntries(flush(110).series.map((s) => [s.name, s.points[0]?.value]));
      expect(got).toEqual({
        't.min': 10,
        't.max': 30,
        't.median': 30, // target (7 − 1) / 2 = 3: cumulative weights 2, 3, 7
        't.avg': 160 / 7,
        't.sum': 160,
        't.count': 0.7,
        't.25percentile': 10, // (25·7 − 1) / 100 = 1
        't.50percentile': 30, // (50·7 − 1) / 100 = 3
        't.95percentile': 30, // (95·7 − 1) / 100 = 6
      });
    });

    it('emit nothing for a bucket without samples (no zero fill)', () => {
      const { add, flush } = setup();
      add('h', 'histogram', 1, 100);
      flush(110);
      expect(flush(130).series).toEqual([]);
    });
  });

  it('distributions become one agent sketch per context and bucket', () => {
    const { add, flush } = setup();
    add('d', 'distribution', 3.15, 100);
    add('d', 'distribution', 2.28, 105);
    add('d', 'distribution', 10, 110, 0.1);
    const out = flush(120);
    expect(out.series).toEqual([]);
    expect(out.sketches).toHaveLength(1);
    const [series] = out.sketches;
    expect(series).toMatchObject({ name: 'd', host: HOST, tags: [], interval: 10 });
    const points = series?.points.map((p) => ({ ts: p.ts, cnt: p.cnt, sum: p.sum, k: Array.from(p.k), n: Array.from(p.n) }));
    expect(points).toEqual([
      { ts: 100, cnt: 2, sum: 5.43, k: [1391, 1412], n: [1, 1] },
      { ts: 110, cnt: 10, sum: 100, k: [1487], n: [10] },
    ]);
  });

  describe('bucket boundaries', () => {
    it('flush only closed buckets: start + 10 ≤ floor10(now)', () => {
      const { add, flush } = setup();
      add('g', 'gauge', 1, 109.999);
      add('g', 'gauge', 2, 110);
      add('d', 'distribution', 1, 109.999);
      add('d', 'distribution', 2, 110);
      const first = flush(119.9);
      expect(first.series.map((s) => s.points)).toEqual([[{ timestamp: 100, value: 1 }]]);
      expect(first.sketches.map((s) => s.points.map((p) => p.ts))).toEqual([[100]]);
      const second = flush(120);
      expect(second.series.map((s) => s.points)).toEqual([[{ timestamp: 110, value: 2 }]]);
      expect(second.sketches.map((s) => s.points.map((p) => p.ts))).toEqual([[110]]);
    });

    it('flush the current, incomplete bucket too when forced', () => {
      const { add, flush, sampler } = setup();
      add('g', 'gauge', 1, 115);
      add('d', 'distribution', 1, 115);
      expect(flush(116).series).toEqual([]);
      const forced = flush(116, true);
      expect(forced.series.map((s) => s.points)).toEqual([[{ timestamp: 110, value: 1 }]]);
      expect(forced.sketches).toHaveLength(1);
      expect(sampler.bucketCount).toBe(0);
    });

    it('a late sample for an already flushed bucket opens it again instead of being lost', () => {
      const { add, flush } = setup();
      add('c', 'counter', 10, 100);
      flush(115);
      add('c', 'counter', 20, 105);
      expect(flush(116).series.map((s) => s.points)).toEqual([[{ timestamp: 100, value: 2 }]]);
    });
  });

  it('refuses NaN and ±Inf values', () => {
    const { add, flush } = setup();
    expect(add('g', 'gauge', NaN, 100)).toBe(false);
    expect(add('c', 'counter', Infinity, 100)).toBe(false);
    expect(add('d', 'distribution', -Infinity, 100)).toBe(false);
    expect(add('g', 'gauge', 1, 100)).toBe(true);
    expect(flush(110).series).toHaveLength(1);
  });

  it('aggregates a context whose type changes within a bucket with the first type’s rule', () => {
    const { add, flush } = setup();
    add('x', 'gauge', 5, 100);
    add('x', 'counter', 7, 101);
    expect(flush(110).series.find((s) => s.name === 'x')).toMatchObject({ type: 'gauge', points: [{ timestamp: 100, value: 7 }] });
  });

  describe('per-context state', () => {
    it('is held by the sampler and freed when the context expires', () => {
      const { resolver, sampler, add } = setup();
      add('a', 'counter', 1, 100);
      add('b', 'gauge', 1, 100);
      expect(sampler.contextCount).toBe(2);
      // The counter is kept (zero-filled), the gauge expires.
      expect(resolver.expire(105, (ctx) => sampler.forget(ctx))).toBe(1);
      expect(resolver.contexts().map((c) => c.name)).toEqual(['a']);
      expect(sampler.contextCount).toBe(1);
    });

    it('keeps a context seen within the second of the cutoff (last seen is kept in whole seconds, rounded up)', () => {
      const { resolver, sampler, add } = setup();
      add('a', 'gauge', 1, 100.2);
      add('b', 'gauge', 1, 99.9);
      // b was seen before the cutoff, a after it.
      expect(resolver.expire(100.1, (ctx) => sampler.forget(ctx))).toBe(1);
      expect(resolver.contexts().map((c) => c.name)).toEqual(['a']);
      expect(resolver.expire(100.9, (ctx) => sampler.forget(ctx))).toBe(0);
      expect(resolver.expire(101.1, (ctx) => sampler.forget(ctx))).toBe(1);
    });

    it('is not carried over to a new context that reuses an expired one’s slot', () => {
      const { resolver, sampler, add, flush } = setup();
      add('a', 'distribution', 5, 120);
      // `a` expires while its bucket is still open: its sketch stays in the bucket, its slot is freed.
      expect(resolver.expire(121, (ctx) => sampler.forget(ctx))).toBe(1);
      add('b', 'gauge', 7, 125);
      add('b', 'distribution', 8, 126);
      const out = flush(130);
      expect(out.series.map((s) => [s.name, s.points])).toEqual([['b', [{ timestamp: 120, value: 7 }]]]);
      const sketches = out.sketches.map((s) => [s.name, s.points.map((p) => ({ ts: p.ts, cnt: p.cnt, sum: p.sum }))]);
      expect(sketches).toEqual([
        ['a', [{ ts: 120, cnt: 1, sum: 5 }]],
        ['b', [{ ts: 120, cnt: 1, sum: 8 }]],
      ]);
    });
  });

  it('shares the context’s deduplicated, sorted tags with every serie', () => {
    const { add, flush } = setup();
    add('h', 'histogram', 1, 100, 1, ['b:2', 'a:1', 'b:2']);
    const series = flush(110).series;
    expect(series[0]?.tags).toEqual(['a:1', 'b:2']);
    for (const s of series) expect(s.tags).toBe(series[0]?.tags);
  });
});
