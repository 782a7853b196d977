import { describe, expect, it } from '@jest/globals';
import { ContextResolver, KeyedSample, type MetricSample } from '@agentkit/aggregator';
import { HOST, makeParser, mapper } from './helpers.js';

/** Distinct, sorted 5-tag lines: more tag strings than the parser's tag cache holds (2 × 32 768). */
const DISTINCT = 100_000;
const line = (i: number, type = 'c'): string => `m.${i % 4}:${i % 97}|${type}|#a:${i},b:x${i},c:y${i},d:z,e:${i % 13}`;

function packets(from: number, to: number, make: (i: number) => string = line): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i += 200) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(to, i + 200); j++) lines.push(make(j));
    out.push(lines.join('\n'));
  }
  return out;
}

/** A parser whose tag cache is sampling: DISTINCT distinct tag strings went through it. */
function thrashingParser(options: Parameters<typeof makeParser>[0] = {}): ReturnType<typeof makeParser> {
  const parser = makeParser(options);
  for (const p of packets(0, DISTINCT)) parser.parse(p);
  return parser;
}

describe('tag strings the tag cache does not keep travel unsplit', () => {
  it('while the cache samples, most plain sorted lines carry their raw tag string; tags read as before', () => {
    const parser = thrashingParser();
    const samples = parser.parse('').demux.samples;
    expect(samples).toHaveLength(DISTINCT);
    const keyed = samples.filter((s) => s.tagKey !== undefined);
    // Before thrashing every line builds its entry; after it one in 16 is admitted.
    expect(keyed.length).toBeGreaterThan(DISTINCT / 4);
    expect(keyed.every((s) => s instanceof KeyedSample)).toBe(true);
    // Checked without an expect per sample (100k of them would be slow), then the first wrong one shown.
    const wrong = samples.filter((s, i) => {
      const tags = [`a:${i}`, `b:x${i}`, `c:y${i}`, 'd:z', `e:${i % 13}`];
      return (
        s.name !== `m.${i % 4}` ||
        s.value !== i % 97 ||
        s.host !== HOST ||
        s.type !== 'counter' ||
        s.tags.join('|') !== tags.join('|') ||
        !Object.isFrozen(s.tags) ||
        s.tags !== s.tags ||
        (s.tagKey !== undefined && s.tagKey !== tags.join(','))
      );
    });
    expect(wrong.slice(0, 1)).toEqual([]);
  });

  it('keyed and array samples of the same tags resolve to one context, over two rounds', () => {
    const parser = thrashingParser();
    for (const p of packets(0, DISTINCT)) parser.parse(p);
    const samples = parser.parse('').demux.samples;
    expect(samples).toHaveLength(2 * DISTINCT);
    const resolver = new ContextResolver({ contextLimit: 0, shards: 1 });
    const resolve = (s: MetricSample) => (s.tagKey === undefined ? resolver.resolve(s.name, s.host, s.tags) : resolver.resolveKey(s.name, s.host, s.tagKey));
    const first = samples.slice(0, DISTINCT).map(resolve);
    const second = samples.slice(DISTINCT).map(resolve);
    expect(resolver.size).toBe(DISTINCT);
    let mixed = 0;
    let different = 0;
    for (let i = 0; i < DISTINCT; i++) {
      if (second[i] !== first[i] || first[i] === undefined) different++;
      if ((samples[i]?.tagKey === undefined) !== (samples[DISTINCT + i]?.tagKey === undefined)) mixed++;
    }
    expect(different).toBe(0);
    expect(mixed).toBeGreaterThan(0); // the same context reached both ways
    expect(first[5]?.tags).toEqual(['a:5', 'b:x5', 'c:y5', 'd:z', 'e:5']);
  });

  it('tags that need enrichment or sorting are still split and enriched while the cache samples', () => {
    const parser = thrashingParser({ originDetectionClient: true });
    const before = parser.parse('').demux.samples.length;
    const cases: [string, Partial<MetricSample>][] = [
      ['n:1|c|#b:1,a:1', { tags: ['b:1', 'a:1'] }], // unsorted: kept in arrival order, sorted by the aggregator
      ['n:1|c|#a:2,a:2', { tags: ['a:2', 'a:2'] }], // duplicates
      ['n:1|c|#a:3,host:web', { tags: ['a:3'], host: 'web' }],
      ['n:1|c|#a:4,dd.internal.card:high', { tags: ['a:4'], origin: { cardinality: 'high' } }],
      ['n:1|c|#a:5,dd.internal.jmx_check_name:x', { tags: ['a:5'] }],
      ['n:1|c|#a:6,,b', { tags: ['a:6', 'b'] }], // an empty tag
      ['n:1|c|#a:7,é', { tags: ['a:7', 'é'] }], // UTF-8 to decode
      ['n:1|s|#a:8', { tags: ['a:8'], setValue: '1' }],
      ['n:1|c|#a:9|c:ci-9', { tags: ['a:9'], origin: { localData: 'ci-9' } }],
    ];
    for (let round = 0; round < 20; round++) {
      for (const [text] of cases) parser.parse(text.replace(/a:(\d)/g, `a:$1-${round}`));
    }
    const samples = parser.parse('').demux.samples.slice(before);
    expect(samples).toHaveLength(cases.length * 20);
    samples.forEach((s, k) => {
      const round = Math.floor(k / cases.length);
      const [, expected] = cases[k % cases.length] as [string, Partial<MetricSample>];
      expect(s.tagKey).toBeUndefined();
      const tags = (expected.tags ?? []).map((t) => t.replace(/^a:(\d)$/, `a:$1-${round}`));
      expect(s).toMatchObject({ ...expected, tags });
    });
  });

  it('mapper tags and dogstatsd_tags keep the array path; a histogram copy travels unsplit like its source', () => {
    const mapped = thrashingParser({
      mapper: mapper([{ name: 'p', prefix: 'm', mappings: [{ match: 'm.*', name: 'mapped.$1', tags: { k: '$1' } }] }]),
    });
    const extra = thrashingParser({ extraTags: ['env:prod'] });
    expect([...mapped.parse('').demux.samples, ...extra.parse('').demux.samples].filter((s) => s.tagKey !== undefined)).toEqual([]);
    expect(mapped.parse('').demux.samples[DISTINCT - 1]).toMatchObject({ name: 'mapped.3', tags: expect.arrayContaining(['k:3']) });
    expect(extra.parse('').demux.samples[DISTINCT - 1]?.tags).toContain('env:prod');

    const copying = thrashingParser({ histogramCopyPrefix: 'copy.' });
    const before = copying.parse('').demux.samples.length;
    for (const p of packets(DISTINCT, DISTINCT + 2000, (i) => line(i, 'h'))) copying.parse(p);
    const samples = copying.parse('').demux.samples.slice(before);
    expect(samples).toHaveLength(4000);
    let keyed = 0;
    for (let i = 0; i < samples.length; i += 2) {
      const [source, copy] = [samples[i] as MetricSample, samples[i + 1] as MetricSample];
      expect(copy).toMatchObject({ name: `copy.${source.name}`, type: 'distribution', value: source.value });
      expect(copy.tagKey).toBe(source.tagKey);
      expect(copy.tags).toEqual(source.tags);
      if (source.tagKey !== undefined) keyed++;
    }
    expect(keyed).toBeGreaterThan(1000);
  });
});
