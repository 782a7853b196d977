import { describe, expect, it } from '@jest/globals';
import { ItemDetacher } from '@agentkit/serializer';
import { ContextResolver } from '../../src/context/context-resolver.js';
import { withHostTag } from '../../src/host-tags/expected-host-tags.js';
import { parseHistogramConfig } from '../../src/time-sampler/histogram-config.js';
import { TimeSampler } from '../../src/time-sampler/time-sampler.js';

function setup() {
  const resolver = new ContextResolver({ contextLimit: 0, shards: 1 });
  const sampler = new TimeSampler({ counterExpirySec: 300, histograms: parseHistogramConfig(['max', 'count'], []) });
  const add = (name: string, type: 'gauge' | 'histogram' | 'distribution', value: number, tsSec: number, tags: readonly string[] = []): void => {
    const ctx = resolver.resolve(name, 'h', tags);
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

  it('hand over the context’s joined tag string, shared by its series, and split tags only when read', () => {
    const { sampler, add } = setup();
    add('a', 'histogram', 1, 100, ['b:2', 'a:1']);
    add('d', 'distribution', 1, 100, ['z:9', 'y:8']);
    const closed = sampler.flush(200, true);
    const series = [...closed.series()];
    const [sketch] = [...closed.sketches()];
    expect(series.map((s) => s.joinedTags)).toEqual(['a:1,b:2', 'a:1,b:2']);
    expect(series[1]?.joinedTags).toBe(series[0]?.joinedTags);
    expect(series[0]?.tags).toEqual(['a:1', 'b:2']);
    expect(Object.isFrozen(series[0]?.tags)).toBe(true);
    expect(sketch?.joinedTags).toBe('y:8,z:9');
    expect(sketch?.tags).toEqual(['y:8', 'z:9']);
  });

  it('hand over no joined string for an empty tag set, and host tags replace it', () => {
    const { sampler, add } = setup();
    add('e', 'gauge', 1, 100);
    add('t', 'gauge', 1, 100, ['x:1']);
    const [empty, tagged] = [...sampler.flush(200, true).series()];
    expect(empty?.joinedTags).toBeUndefined();
    expect(empty?.tags).toEqual([]);
    // The encoders write `joinedTags` when present: a serie given host tags must not keep it.
    const merged = withHostTag(tagged as NonNullable<typeof tagged>, ['env:prod'], new WeakMap());
    expect('joinedTags' in merged).toBe(false);
    expect(merged.tags).toEqual(['env:prod', 'x:1']);
    expect([merged.name, merged.host, merged.type, merged.points]).toEqual(['t', 'h', 'gauge', [{ timestamp: 100, value: 1 }]]);
  });

  it('give through the cursors the same series and sketch series, in the same order, in reused objects', () => {
    const fill = (add: ReturnType<typeof setup>['add']): void => {
      add('h', 'histogram', 5, 100, ['b:2', 'a:1']);
      add('h', 'histogram', 1, 100, ['b:2', 'a:1']);
      add('g', 'gauge', 2, 100, ['x:1']);
      add('h', 'histogram', 7, 110, ['b:2', 'a:1']);
      add('g2', 'gauge', 3, 110, ['zürich:1']);
      add('e', 'gauge', 4, 110);
      add('d', 'distribution', 1.5, 100, ['y:8']);
      add('d', 'distribution', 2.5, 100, ['y:8']);
      add('d', 'distribution', 9, 110, ['y:8']);
      add('d2', 'distribution', 3, 110, ['q:1']);
    };
    const plain = setup();
    const reused = setup();
    fill(plain.add);
    fill(reused.add);
    const expected = plain.sampler.flush(200, true);
    const closed = reused.sampler.flush(200, true);
    const detacher = new ItemDetacher();
    const objects = new Set<object>();
    const pulled = [];
    for (const serie of closed.seriesCursor()) {
      objects.add(serie);
      pulled.push(detacher.detach(serie));
    }
    expect(pulled).toHaveLength(closed.seriesCount);
    expect(pulled).toEqual([...expected.series()].map((s) => detacher.detach(s)));
    // h has 2 series (max, count), g, g2 and e one each: two reused objects carry them all.
    expect(objects.size).toBe(2);
    const sketches = [];
    const sketchObjects = new Set<object>();
    for (const sketch of closed.sketchCursor()) {
      sketchObjects.add(sketch);
      sketches.push(detacher.detach(sketch));
    }
    const expectedSketches = [...expected.sketches()].map((s) => ({ ...detacher.detach(s), points: s.points.map((p) => ({ ...p, k: Array.from(p.k), n: Array.from(p.n) })) }));
    expect(sketches).toEqual(expectedSketches);
    expect(sketches.map((s) => [s.name, s.tags, s.points.map((p) => p.ts)])).toEqual([
      ['d', ['y:8'], [100, 110]],
      ['d2', ['q:1'], [110]],
    ]);
    expect(sketchObjects.size).toBe(1);
  });
});
