import { describe, expect, it } from '@jest/globals';
import { ContextResolver } from '../../src/context/context-resolver.js';
import { sortUniq } from '../../src/context/tag-set.js';

const resolver = (contextLimit = 0, shards = 1) => new ContextResolver({ contextLimit, shards });

describe('ContextResolver', () => {
  describe('context key = name + host + deduplicated tag set', () => {
    it('ignores tag order', () => {
      const r = resolver();
      expect(r.resolve('m', 'h', ['a:1', 'b:2', 'c'])).toBe(r.resolve('m', 'h', ['c', 'b:2', 'a:1']));
      expect(r.size).toBe(1);
    });

    it('ignores duplicate tags', () => {
      const r = resolver();
      expect(r.resolve('m', 'h', ['a:1', 'b:2', 'a:1'])).toBe(r.resolve('m', 'h', ['b:2', 'a:1']));
      expect(r.resolve('m', 'h', ['x', 'x'])).toBe(r.resolve('m', 'h', ['x']));
    });

    it('separates names, hosts and tag sets', () => {
      const r = resolver();
      const base = r.resolve('m', 'h', ['a']);
      expect(r.resolve('n', 'h', ['a'])).not.toBe(base);
      expect(r.resolve('m', 'h2', ['a'])).not.toBe(base);
      expect(r.resolve('m', 'h', ['a', 'b'])).not.toBe(base);
      expect(r.resolve('m', 'h', [])).not.toBe(base);
      expect(r.resolve('m', 'h', ['a'])).toBe(base);
      expect(r.size).toBe(5);
    });

    it('does not confuse tags that only join to the same text', () => {
      const r = resolver();
      expect(r.resolve('m', 'h', ['a,b'])).not.toBe(r.resolve('m', 'h', ['a', 'b']));
    });

    it('finds every host and name of a shared tag set after removals', () => {
      const r = resolver();
      const tags = ['env:prod'];
      const contexts = ['m1', 'm2', 'm3'].flatMap((name) => ['h1', 'h2', 'h3'].map((host) => r.resolve(name, host, tags)));
      for (const ctx of contexts) if (ctx !== undefined) ctx.lastSeenSec = ctx.host === 'h2' ? 100 : 0;
      expect(r.expire(50)).toBe(6);
      for (const name of ['m1', 'm2', 'm3']) {
        expect(r.resolve(name, 'h2', tags)).toBe(contexts.find((c) => c?.name === name && c.host === 'h2'));
        expect(contexts).not.toContain(r.resolve(name, 'h1', tags));
      }
    });
  });

  describe('tag normalisation', () => {
    it('is done once per tags array instance, not per sample', () => {
      const r = resolver();
      let reads = 0;
      const tags: string[] = ['b', 'a'];
      Object.defineProperty(tags, 0, {
        get: () => {
          reads++;
          return 'b';
        },
      });
      for (let i = 0; i < 1000; i++) r.resolve(`m${i % 3}`, 'h', tags);
      expect(reads).toBeGreaterThan(0);
      expect(reads).toBeLessThanOrEqual(2);
    });

    it('gives contexts sorted, unique, frozen tags', () => {
      const ctx = resolver().resolve('m', 'h', ['z', 'a', 'z', 'm']);
      expect(ctx?.tags).toEqual(['a', 'm', 'z']);
      expect(Object.isFrozen(ctx?.tags)).toBe(true);
    });

    it('gives back tags that cannot be kept joined (an empty tag, a comma in a tag) as they came', () => {
      const r = resolver();
      expect(r.resolve('m', 'h', ['b', ''])?.tags).toEqual(['', 'b']);
      expect(r.resolve('m', 'h', ['a,b', 'c'])?.tags).toEqual(['a,b', 'c']);
      expect(r.resolve('m', 'h', [])?.tags).toEqual([]);
      expect(r.resolve('m', 'h', ['x:1', 'y:2'])?.tags).toEqual(['x:1', 'y:2']);
      expect(r.resolve('m', 'h', ['y:2', 'x:1'])).toBe(r.resolve('m', 'h', ['x:1', 'y:2']));
      expect(r.tagSetCount).toBe(4);
    });

    it('sortUniq sorts and deduplicates', () => {
      expect(sortUniq(['b', 'a', 'b', 'c', 'a'])).toEqual(['a', 'b', 'c']);
      expect(sortUniq([])).toEqual([]);
    });
  });

  describe('expiry', () => {
    it('removes contexts not seen since the cutoff, and releases their tag sets', () => {
      const r = resolver();
      const old = r.resolve('m', 'h', ['a']);
      const fresh = r.resolve('m', 'h', ['b']);
      if (old === undefined || fresh === undefined) throw new Error('no context');
      old.lastSeenSec = 100;
      fresh.lastSeenSec = 130;
      expect(r.expire(120)).toBe(1);
      expect(r.size).toBe(1);
      expect(r.tagSetCount).toBe(1);
      const again = r.resolve('m', 'h', ['a']);
      expect(again).not.toBe(old);
      // A different array with the same tags must find the re-created context, not make a twin.
      expect(r.resolve('m', 'h', ['a', 'a'])).toBe(again);
      expect(r.size).toBe(2);
    });

    it('keeps counters while they are zero-filled', () => {
      const r = resolver();
      const ctx = r.resolve('c', 'h', []);
      if (ctx === undefined) throw new Error('no context');
      ctx.counterTracked = true;
      expect(r.expire(1e12)).toBe(0);
      ctx.counterTracked = false;
      expect(r.expire(1e12)).toBe(1);
    });
  });

  describe('dogstatsd_context_limit', () => {
    it('refuses new contexts beyond the limit but still resolves existing ones', () => {
      const r = resolver(2);
      const a = r.resolve('a', 'h', []);
      const b = r.resolve('b', 'h', ['x']);
      expect(r.resolve('c', 'h', ['y'])).toBeUndefined();
      expect(r.resolve('a', 'h', [])).toBe(a);
      expect(r.resolve('b', 'h', ['x'])).toBe(b);
      expect(r.size).toBe(2);
    });

    it('does not keep the tag sets of refused contexts', () => {
      const r = resolver(1);
      r.resolve('a', 'h', []);
      for (let i = 0; i < 100; i++) r.resolve('m', 'h', [`id:${i}`]);
      expect(r.tagSetCount).toBe(1);
    });

    it('0 means unlimited', () => {
      const r = resolver(0);
      for (let i = 0; i < 1000; i++) r.resolve(`m${i}`, 'h', []);
      expect(r.size).toBe(1000);
    });
  });

  it('spreads contexts over the shards deterministically', () => {
    const r = resolver(0, 4);
    const shards = new Set<number>();
    for (let i = 0; i < 200; i++) shards.add(r.resolve(`m${i}`, 'h', ['a'])?.shard ?? -1);
    expect([...shards].sort()).toEqual([0, 1, 2, 3]);
    expect(resolver(0, 4).resolve('m7', 'h', ['a'])?.shard).toBe(r.resolve('m7', 'h', ['a'])?.shard);
  });
});
