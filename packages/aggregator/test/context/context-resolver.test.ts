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

  describe('the index (no object per tag set)', () => {
    it('finds every context after the table of chains grows', () => {
      const r = resolver();
      const made = Array.from({ length: 5000 }, (_, i) => r.resolve(`m${i % 7}`, `h${i % 3}`, [`id:${i}`, 'env:prod']));
      for (let i = 0; i < 5000; i++) expect(r.resolve(`m${i % 7}`, `h${i % 3}`, ['env:prod', `id:${i}`])).toBe(made[i]);
      expect(r.size).toBe(5000);
      expect(r.tagSetCount).toBe(5000);
    });

    it('keeps the contexts of one tags array by name when several names use it', () => {
      const r = resolver();
      const tags = ['b:2', 'a:1'];
      const byName = ['m1', 'm2', 'm3'].map((name) => r.resolve(name, 'h', tags));
      for (let round = 0; round < 3; round++) {
        ['m1', 'm2', 'm3'].forEach((name, i) => expect(r.resolve(name, 'h', tags)).toBe(byName[i]));
      }
      expect(r.resolve('m2', 'other-host', tags)).not.toBe(byName[1]);
      expect(r.size).toBe(4);
      // One tag set; its contexts share one key string.
      expect(r.tagSetCount).toBe(1);
      expect(new Set(r.contexts().map((c) => c.tagKey)).size).toBe(1);
    });

    it('does not hand out an expired context remembered by its tags array', () => {
      const r = resolver();
      const tags = ['a:1'];
      const one = r.resolve('m1', 'h', tags);
      const two = r.resolve('m2', 'h', tags);
      if (one === undefined || two === undefined) throw new Error('no context');
      two.lastSeenSec = 100;
      expect(r.expire(50)).toBe(1);
      const again = r.resolve('m1', 'h', tags);
      expect(again).not.toBe(one);
      expect(again?.released).toBe(false);
      expect(r.resolve('m2', 'h', tags)).toBe(two);
      expect(r.size).toBe(2);
    });

    it('keeps each context its source and shard', () => {
      const r = resolver(0, 256);
      const sources = [undefined, 'dogstatsd', 'serverless-custom', 'serverless-enhanced'] as const;
      const made = sources.map((source, i) => r.resolve(`m${i}`, 'h', [], source));
      made.forEach((ctx, i) => expect(ctx?.source).toBe(sources[i]));
      for (let i = 0; i < 2000; i++) {
        const ctx = r.resolve(`n${i}`, 'h', ['a']);
        expect(ctx?.shard).toBeGreaterThanOrEqual(0);
        expect(ctx?.shard).toBeLessThan(256);
        if (ctx !== undefined) ctx.counterTracked = true;
        expect(ctx?.shard).toBe(r.resolve(`n${i}`, 'h', ['a'])?.shard);
        expect(ctx?.counterTracked).toBe(true);
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

  describe('resolveKey: tags given as their joined key', () => {
    it('finds the context an array made, and an array finds the one a key made', () => {
      const r = resolver(0, 4);
      const byArray = r.resolve('m', 'h', ['b:2', 'a:1'], 'dogstatsd');
      expect(r.resolveKey('m', 'h', 'a:1,b:2')).toBe(byArray);
      const byKey = r.resolveKey('n', 'h', 'a:1,b:2', 'serverless-custom');
      expect(byKey).not.toBe(byArray);
      expect(r.resolve('n', 'h', ['a:1', 'b:2', 'a:1'])).toBe(byKey);
      expect(byKey?.tags).toEqual(['a:1', 'b:2']);
      expect(byKey?.source).toBe('serverless-custom');
      expect(byKey?.shard).toBe(resolver(0, 4).resolve('n', 'h', ['a:1', 'b:2'])?.shard);
      expect(r.size).toBe(2);
    });

    it('separates names, hosts and keys, and a key from a tag holding a comma', () => {
      const r = resolver();
      const base = r.resolveKey('m', 'h', 'a,b');
      expect(r.resolveKey('n', 'h', 'a,b')).not.toBe(base);
      expect(r.resolveKey('m', 'h2', 'a,b')).not.toBe(base);
      expect(r.resolveKey('m', 'h', 'a')).not.toBe(base);
      expect(r.resolve('m', 'h', ['a,b'])).not.toBe(base);
      expect(r.resolve('m', 'h', ['b', 'a'])).toBe(base);
      expect(r.size).toBe(5);
    });

    it('finds every context after the table grows, and refuses new ones at the limit', () => {
      const r = resolver();
      const made = Array.from({ length: 5000 }, (_, i) => r.resolveKey('m', 'h', `a:${i},b`));
      made.forEach((ctx, i) => expect(r.resolve('m', 'h', ['b', `a:${i}`])).toBe(ctx));
      const limited = resolver(2);
      const one = limited.resolveKey('m', 'h', 'a');
      expect(limited.resolveKey('m', 'h', 'b')).toBeDefined();
      expect(limited.resolveKey('m', 'h', 'c')).toBeUndefined();
      expect(limited.resolveKey('m', 'h', 'a')).toBe(one);
      expect(limited.size).toBe(2);
    });

    it('gives a new context once the old one expired', () => {
      const r = resolver();
      const old = r.resolveKey('m', 'h', 'a:1');
      if (old === undefined) throw new Error('no context');
      old.lastSeenSec = 10;
      expect(r.expire(50)).toBe(1);
      const again = r.resolveKey('m', 'h', 'a:1');
      expect(again).not.toBe(old);
      expect(again?.released).toBe(false);
      expect(r.size).toBe(1);
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
