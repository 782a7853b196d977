import { describe, expect, it } from '@jest/globals';
import { GenerationCache } from '../src/enrich/generation-cache.js';
import { TagCache } from '../src/enrich/tag-cache.js';

interface Entry {
  readonly raw: string;
  readonly n: number;
}

/** Looks every key up in order, creating what misses as the parser does; returns the hits. */
function round(cache: GenerationCache<Entry>, keys: readonly string[]): number {
  let hits = 0;
  for (const [n, raw] of keys.entries()) {
    const found = cache.get(raw);
    if (found === undefined) cache.set({ raw, n });
    else {
      expect(found.raw).toBe(raw);
      hits++;
    }
  }
  return hits;
}

const keys = (count: number, prefix = 'k'): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('GenerationCache', () => {
  it('keeps a working set that fits and never samples its entries', () => {
    const cache = new GenerationCache<Entry>(1000, 1 << 20);
    const set = keys(900);
    round(cache, set);
    for (let r = 0; r < 5; r++) expect(round(cache, set)).toBe(set.length);
    expect(cache.thrashing).toBe(false);
  });

  it('stops admitting every miss when more keys cycle than it holds, and still hits', () => {
    const cache = new GenerationCache<Entry>(1000, 1 << 20);
    const set = keys(5000);
    // Admitting every key, a cyclic working set 2.5× the cache would never hit.
    const hits: number[] = [];
    for (let r = 0; r < 20; r++) hits.push(round(cache, set));
    expect(cache.thrashing).toBe(true);
    expect(hits[0]).toBe(0);
    // Sampled admission keeps entries long enough to come back: most of the cache hits.
    expect(hits[19]).toBeGreaterThan(500);
    expect(cache.size).toBeLessThanOrEqual(2000);
  });

  it('admits every entry again once the working set fits', () => {
    const cache = new GenerationCache<Entry>(1000, 1 << 20);
    for (let r = 0; r < 5; r++) round(cache, keys(5000));
    expect(cache.thrashing).toBe(true);
    const small = keys(300, 'small');
    // Sampled admission brings the new set in a sixteenth at a time (~45 rounds here).
    for (let r = 0; r < 200 && cache.thrashing; r++) round(cache, small);
    expect(cache.thrashing).toBe(false);
    round(cache, small); // the last few misses are admitted
    expect(round(cache, small)).toBe(small.length);
  });
});

describe('TagCache over a working set larger than it', () => {
  it('enriches every tag string the same whether or not it is admitted', () => {
    const cache = new TagCache(['env:prod'], 500);
    const raw = (i: number): string => `a:${i},host:h${i % 7},b:${i}`;
    for (let r = 0; r < 6; r++) {
      for (let i = 0; i < 3000; i++) {
        const entry = cache.get(raw(i)) ?? cache.create(raw(i));
        expect(entry.tags).toEqual([`a:${i}`, `b:${i}`, 'env:prod']);
        expect(entry.host).toBe(`h${i % 7}`);
      }
    }
    expect(cache.sampling).toBe(true);
    expect(cache.size).toBeLessThanOrEqual(1000);
  });
});
