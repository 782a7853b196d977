import { describe, expect, it } from '@jest/globals';
import { ContextResolver } from '../../src/context/context-resolver.js';
import { parseHistogramConfig } from '../../src/time-sampler/histogram-config.js';
import { TimeSampler } from '../../src/time-sampler/time-sampler.js';

function setup() {
  const resolver = new ContextResolver({ contextLimit: 0, shards: 1 });
  const sampler = new TimeSampler({ counterExpirySec: 300, histograms: parseHistogramConfig(['max', 'count'], []) });
  const add = (name: string, type: 'gauge' | 'histogram' | 'distribution', value: number, tsSec: number): void => {
    const ctx = resolver.resolve(name, 'h', []);
    if (ctx === undefined) throw new Error('no context');
    sampler.sample(ctx, type, value, undefined, 1, tsSec);
  };
  return { sampler, add };
}

describe('ClosedBuckets', () => {
  it('builds series context by context as they are pulled, a context merged across buckets and its series adjacent', () => {
    const { sampler, add } = setup();
    add('a', 'histogram', 1, 100);
    add('b', 'gauge', 2, 100);
    add('a', 'histogram', 3, 110);
    add('c', 'gauge', 4, 110);
    const series = sampler.flush(125, false).series();
    // Nothing is built before the first pull; then one context's series at a time.
    expect(series.next().value).toMatchObject({ name: 'a.max', points: [{ timestamp: 100, value: 1 }, { timestamp: 110, value: 3 }] });
    expect(series.next().value).toMatchObject({ name: 'a.count', points: [{ timestamp: 100, value: 0.1 }, { timestamp: 110, value: 0.1 }] });
    expect([...series].map((s) => s.name)).toEqual(['b', 'c']);
  });

  it('are detached: a late sample for a flushed bucket opens a new bucket, even before the series are pulled', () => {
    const { sampler, add } = setup();
    add('g', 'gauge', 1, 100);
    add('d', 'distribution', 1, 100);
    const closed = sampler.flush(115, false);
    add('g', 'gauge', 9, 105);
    add('d', 'distribution', 9, 105);
    expect([...closed.series()].map((s) => s.points)).toEqual([[{ timestamp: 100, value: 1 }]]);
    expect([...closed.sketches()].map((s) => s.points.map((p) => p.max))).toEqual([[1]]);
    const late = sampler.flush(115, false);
    expect([...late.series()].map((s) => s.points)).toEqual([[{ timestamp: 100, value: 9 }]]);
    expect([...late.sketches()].map((s) => s.points.map((p) => p.max))).toEqual([[9]]);
  });

  it('count their series and sketch series before building any, as many as they yield', () => {
    const { sampler, add } = setup();
    add('a', 'histogram', 1, 100);
    add('a', 'histogram', 2, 110);
    add('b', 'gauge', 1, 100);
    add('b', 'histogram', 1, 110); // another kind in a later bucket: series of its own
    add('d', 'distribution', 1, 100);
    add('d', 'distribution', 1, 110);
    const closed = sampler.flush(200, true);
    expect([closed.seriesCount, closed.sketchCount]).toEqual([5, 1]);
    expect([...closed.series()]).toHaveLength(5);
    expect([...closed.sketches()]).toHaveLength(1);
  });

  it('give each context a sketch series with one Dogsketch per bucket', () => {
    const { sampler, add } = setup();
    add('d', 'distribution', 1, 100);
    add('e', 'distribution', 2, 100);
    add('d', 'distribution', 3, 110);
    const sketches = [...sampler.flush(200, true).sketches()];
    expect(sketches.map((s) => [s.name, s.points.map((p) => p.ts)])).toEqual([
      ['d', [100, 110]],
      ['e', [100]],
    ]);
  });
});
