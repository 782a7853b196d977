import type { MetricSource } from '@agentkit/serializer';
import { Context, CONTEXT_HASH_BITS, type TagKey } from './context.js';
import { hashString, normalizeTags, sameTagKey, tagKeyHash } from './tag-set.js';

/** Chain heads of an empty resolver (a power of two). */
const MIN_HEADS = 1024;

export interface ContextResolverOptions {
  /** Live contexts allowed; 0 means unlimited. */
  readonly contextLimit: number;
  /** Time samplers to spread contexts over. */
  readonly shards: number;
}

/**
 * The contexts one tags array resolved to, once it resolved to more than one name (several
 * metrics sent with the same tag string): lives as long as the array.
 */
class ArrayContexts {
  public readonly byName = new Map<string, Context>();
  public readonly tagKey: TagKey;
  public readonly tagHash: number;

  public constructor(tagKey: TagKey, tagHash: number) {
    this.tagKey = tagKey;
    this.tagHash = tagHash;
  }
}

/**
 * Maps (name, host, tags) to a Context, creating it on first use. No key string is built per
 * sample, and there is no object per context besides the Context: contexts are indexed by a hash
 * of name, host and tags in a table of chains (through `Context.nextInChain`: no Map entry per
 * context), and each tags array instance remembers what it resolved to (a WeakMap, dropped with
 * the array): its one context, or its contexts by name. So a sample is a WeakMap hit plus a name
 * and host comparison (or a small Map lookup). Tags are normalized (copy, sort, dedup, join) once
 * per array instance, not per sample.
 */
export class ContextResolver {
  readonly #byArray = new WeakMap<readonly string[], Context | ArrayContexts>();
  // A power of two of chain heads, kept at least the number of contexts (8-16 bytes per context,
  // where a Map entry costs ~37).
  #heads: (Context | undefined)[] = new Array<Context | undefined>(MIN_HEADS).fill(undefined);
  // No list of the contexts besides the chains (an array would cost 8-16 bytes per context):
  // expiry and `contexts()` walk the chains.
  #size = 0;
  readonly #limit: number;
  readonly #shards: number;

  public constructor(options: ContextResolverOptions) {
    this.#limit = options.contextLimit;
    this.#shards = options.shards;
  }

  /**
   * The context, or undefined when it is new and the context limit is reached. `source` is only
   * read when the context is created (it is not part of the identity, as in the Agent).
   */
  public resolve(name: string, host: string, tags: readonly string[], source?: MetricSource): Context | undefined {
    const cached = this.#byArray.get(tags);
    const ctx = cached instanceof Context ? cached : cached?.byName.get(name);
    if (ctx !== undefined && ctx.name === name && ctx.host === host && !ctx.released) return ctx;
    return this.#lookup(name, host, tags, cached, source);
  }

  /**
   * The same as {@link resolve} for tags given as their key: `key` is the tags sorted, unique and
   * joined with `,` (what {@link normalizeTags} makes of them), a flat string the new context may
   * keep. No array is remembered: found by the hash of name, host and key.
   */
  public resolveKey(name: string, host: string, key: string, source?: MetricSource): Context | undefined {
    const hash = contextHash(name, host, tagKeyHash(key));
    const heads = this.#heads;
    const at = hash & (heads.length - 1);
    let ctx = heads[at];
    while (ctx !== undefined && !(ctx.name === name && ctx.host === host && ctx.tagKey === key)) ctx = ctx.nextInChain;
    return ctx ?? this.#create(name, host, key, hash, at, source);
  }

  /** Live contexts. */
  public get size(): number {
    return this.#size;
  }

  /**
   * Distinct tag sets of the live contexts, counted when asked: a walk over every context with a
   * Set of their keys (tens of ms at 100k contexts), for tests and tools, not for telemetry.
   */
  public get tagSetCount(): number {
    const keys = new Set<string>();
    // An array key is a set that cannot be joined with ',': joined with NUL for counting only.
    for (const ctx of this.contexts()) keys.add(typeof ctx.tagKey === 'string' ? ctx.tagKey : '\0' + ctx.tagKey.join('\0'));
    return keys.size;
  }

  /** Every live context, in no particular order: an array made when asked (for tests and tools). */
  public contexts(): Context[] {
    const out: Context[] = [];
    for (let ctx of this.#heads) for (; ctx !== undefined; ctx = ctx.nextInChain) out.push(ctx);
    return out;
  }

  /**
   * Removes contexts not seen since `cutoffSec`, except those still zero-filled as counters
   * (their `lastSeenSec` moves with each zero point), telling `onExpired` of each (the time
   * sampler frees its state for it). Returns how many were removed.
   */
  public expire(cutoffSec: number, onExpired?: (ctx: Context) => void): number {
    const heads = this.#heads;
    let removed = 0;
    // Chain by chain, unlinking in place; the table is not shrunk: it was needed once.
    for (let at = 0; at < heads.length; at++) {
      let prev: Context | undefined;
      let ctx = heads[at];
      while (ctx !== undefined) {
        const next = ctx.nextInChain;
        if (ctx.lastSeenSec >= cutoffSec || ctx.counterTracked) prev = ctx;
        else {
          if (prev === undefined) heads[at] = next;
          else prev.nextInChain = next;
          ctx.nextInChain = undefined;
          ctx.release();
          removed++;
          onExpired?.(ctx);
        }
        ctx = next;
      }
    }
    this.#size -= removed;
    return removed;
  }

  /** The slow path: a new array, or a name or host the array has not resolved yet. */
  #lookup(name: string, host: string, tags: readonly string[], cached: Context | ArrayContexts | undefined, source: MetricSource | undefined): Context | undefined {
    // The same array always normalizes the same: reuse what it resolved to before, even expired.
    let key: TagKey;
    let tagHash: number;
    if (cached === undefined) ({ key, hash: tagHash } = normalizeTags(tags));
    else if (cached instanceof Context) {
      key = cached.tagKey;
      tagHash = tagKeyHash(key);
    } else {
      key = cached.tagKey;
      tagHash = cached.tagHash;
    }
    const hash = contextHash(name, host, tagHash);
    const heads = this.#heads;
    const at = hash & (heads.length - 1);
    let ctx = heads[at];
    while (ctx !== undefined && !(ctx.name === name && ctx.host === host && sameTagKey(ctx.tagKey, key))) ctx = ctx.nextInChain;
    if (ctx === undefined) {
      ctx = this.#create(name, host, key, hash, at, source);
      if (ctx === undefined) return undefined;
    }
    this.#remember(tags, cached, ctx, tagHash);
    return ctx;
  }

  /** A new context chained at `at`, or undefined at the context limit. */
  #create(name: string, host: string, key: TagKey, hash: number, at: number, source: MetricSource | undefined): Context | undefined {
    if (this.#limit > 0 && this.#size >= this.#limit) return undefined;
    const heads = this.#heads;
    const ctx = new Context(name, host, key, this.#shards === 1 ? 0 : hash % this.#shards, hash, source);
    ctx.nextInChain = heads[at];
    heads[at] = ctx;
    if (++this.#size > heads.length) this.#rehash(heads.length * 2);
    return ctx;
  }

  /** What `tags` resolves to from now on: `ctx` alone, or `ctx` among the array's other names. */
  #remember(tags: readonly string[], cached: Context | ArrayContexts | undefined, ctx: Context, tagHash: number): void {
    if (cached === undefined || (cached instanceof Context && (cached.name === ctx.name || cached.released))) {
      this.#byArray.set(tags, ctx);
      return;
    }
    if (cached instanceof Context) {
      const byNames = new ArrayContexts(cached.tagKey, tagHash);
      byNames.byName.set(cached.name, cached);
      byNames.byName.set(ctx.name, ctx);
      this.#byArray.set(tags, byNames);
    } else cached.byName.set(ctx.name, ctx);
  }

  /** Re-chains every live context into a table of `size` heads (a power of two). */
  #rehash(size: number): void {
    const heads = new Array<Context | undefined>(size).fill(undefined);
    const mask = size - 1;
    for (let ctx of this.#heads) {
      while (ctx !== undefined) {
        const next = ctx.nextInChain;
        const at = slotOf(ctx, mask);
        ctx.nextInChain = heads[at];
        heads[at] = ctx;
        ctx = next;
      }
    }
    this.#heads = heads;
  }
}

/** The index's and the shards' hash of a context (30 bits). */
function contextHash(name: string, host: string, tagHash: number): number {
  return hashString(name, hashString(host, tagHash)) & 0x3fffffff;
}

/** `ctx`'s chain in a table of `mask + 1` heads: from the hash bits it keeps, or its hash computed again when the table is larger. */
function slotOf(ctx: Context, mask: number): number {
  if (mask < 1 << CONTEXT_HASH_BITS) return ctx.hashBits & mask;
  return contextHash(ctx.name, ctx.host, tagKeyHash(ctx.tagKey)) & mask;
}
