import { describe, expect, it } from '@jest/globals';
import { FakeDemultiplexer } from '@agentkit/aggregator';
import { Batcher, PacketParser, parserOptionsFromConfig, type PacketParserOptions } from '../src/index.js';
import { TagCache, type TagEntry } from '../src/enrich/tag-cache.js';
import { dsdConfig, HOST } from './helpers.js';

/** Distinct, sorted 5-tag lines: more tag strings than the parser's tag cache holds (2 × 32 768). */
const DISTINCT = 100_000;
const line = (i: number): string => `m.${i % 4}:1|c|#a:${i},b:x${i},c:y${i},d:z,e:${i % 13}`;
const tagsOf = (i: number): string[] => [`a:${i}`, `b:x${i}`, `c:y${i}`, 'd:z', `e:${i % 13}`];

/** A real parser into a recording demultiplexer, with the tag cache's size at hand. */
function makeParser(options: Partial<PacketParserOptions> = {}) {
  const demux = new FakeDemultiplexer();
  const parser = new PacketParser({ ...parserOptionsFromConfig(dsdConfig()), ...options }, { parseError() {}, unterminated() {} });
  const batcher = new Batcher(demux, 4);
  return {
    demux,
    parser,
    parse(text: string): void {
      parser.parse(Buffer.from(text), false, 1_700_000_000, batcher);
      batcher.flush();
    },
    round(): void {
      for (let i = 0; i < DISTINCT; i += 200) {
        const lines: string[] = [];
        for (let j = i; j < Math.min(DISTINCT, i + 200); j++) lines.push(line(j));
        parser.parse(Buffer.from(lines.join('\n')), false, 1_700_000_000, batcher);
      }
      batcher.flush();
    },
  };
}

describe('the tag cache while more tag strings cycle than it holds', () => {
  it('lets the entries it built go when it starts sampling, and keeps far fewer after a burst', () => {
    const p = makeParser();
    p.round();
    expect(p.parser.tagCacheSampling).toBe(1);
    // Without the reset it would hold its two full generations (~32 768 entries after the round).
    expect(p.parser.cachedTagStrings).toBeLessThan(5000);
    expect(p.parser.cachedTagStrings).toBeGreaterThan(0);
  });

  it('keeps what it admits of a plain sorted tag string as the string alone: lines hitting it still travel unsplit, with the same tags', () => {
    const p = makeParser();
    p.round();
    const afterFirst = p.parser.cachedTagStrings;
    p.round();
    p.round();
    // It keeps admitting a sample of the strings it misses...
    expect(p.parser.cachedTagStrings).toBeGreaterThan(afterFirst + 1000);
    const samples = p.demux.samples;
    expect(samples).toHaveLength(3 * DISTINCT);
    // ...as the strings alone: a hit sends the string as the key, as a miss does (an enriched
    // entry would send its tags array).
    expect(samples.slice(2 * DISTINCT).filter((s) => s.tagKey === undefined)).toHaveLength(0);
    const wrong = samples.filter((s, k) => {
      const i = k % DISTINCT;
      return s.name !== `m.${i % 4}` || s.host !== HOST || s.tags.join(',') !== tagsOf(i).join(',') || (s.tagKey !== undefined && s.tagKey !== tagsOf(i).join(','));
    });
    expect(wrong.slice(0, 1)).toEqual([]);
  });

  it('a kept string reads as its tags, split once and frozen, with no host or origin', () => {
    const cache = new TagCache([], 100);
    for (let i = 0; i < 2000 && !cache.sampling; i++) if (cache.get(`x:${i}`) === undefined) cache.create(`x:${i}`);
    expect(cache.sampling).toBe(true);
    let entry: TagEntry | undefined;
    for (let n = 0; n < 1000 && entry === undefined; n++) if (cache.admitsNew()) entry = cache.addKeyed('a:1,b:2');
    expect(cache.get('a:1,b:2')).toBe(entry);
    expect(entry).toMatchObject({ raw: 'a:1,b:2', keyed: true, tags: ['a:1', 'b:2'], clientTags: ['a:1', 'b:2'], host: undefined, origin: undefined });
    expect(Object.isFrozen(entry?.tags)).toBe(true);
    expect(entry?.tags).toBe(entry?.tags);
    // Enriched in its place when a line needs the entry itself.
    const enriched = cache.createAdmitted('a:1,b:2');
    expect(enriched.keyed).toBe(false);
    expect(cache.get('a:1,b:2')).toBe(enriched);
  });

  it('enriches a kept string when a line needs its tags split (a set, an origin, an event), and keeps the enriched entry', () => {
    const p = makeParser({ originDetectionClient: true });
    p.round();
    /** Sends a counter with `raw` until the cache keeps it (one new string in 16 is admitted). */
    const keep = (raw: string): boolean => {
      const size = p.parser.cachedTagStrings;
      for (let n = 0; n < 1000; n++) {
        p.parse(`n:1|c|#${raw}`);
        if (p.parser.cachedTagStrings > size) return p.demux.samples.at(-1)?.tagKey === raw;
      }
      return false;
    };
    expect([keep('k:1,l:1'), keep('k:2,l:2'), keep('k:3,l:3')]).toEqual([true, true, true]);
    const before = p.demux.samples.length;
    p.parse('n:1|s|#k:1,l:1');
    p.parse('n:1|c|#k:2,l:2|c:ci-2');
    p.parse('_e{1,1}:t|x|#k:3,l:3');
    for (const k of [1, 2, 3]) p.parse(`n:1|c|#k:${k},l:${k}`);
    const [set, withOrigin, ...after] = p.demux.samples.slice(before);
    expect(set).toMatchObject({ type: 'set', setValue: '1', tags: ['k:1', 'l:1'], host: HOST });
    expect(set?.tagKey).toBeUndefined();
    expect(withOrigin).toMatchObject({ type: 'counter', tags: ['k:2', 'l:2'], origin: { localData: 'ci-2' } });
    expect(withOrigin?.tagKey).toBeUndefined();
    expect(p.demux.events.at(-1)?.tags).toEqual(['k:3', 'l:3']);
    // The cache now holds the enriched entries: counters with those tags take the array path.
    expect(after.map((s) => [s.tagKey, s.tags, Object.isFrozen(s.tags)])).toEqual([1, 2, 3].map((k) => [undefined, [`k:${k}`, `l:${k}`], true]));
  });
});
