import type { MetricSource } from '@agentkit/serializer';
import { Context, type TagKey } from './context.js';
import { hashString, normalizeTags, sameTagKey } from './tag-set.js';

/** Chain heads of an empty resolver (a power of two). */
const MIN_HEADS = 1024;

export interface ContextResolverOptions {
  /** Live contexts allowed; 0 means unlimited. */
  readonly contextLimit: number;
  /** Time samplers to spread contexts over. */
  readonly shards: number;
}

/**
 * Maps (name, host, tags) to a Context, creating it on first use. No key string is built per
 * sample, and there is no object per tag set: contexts are indexed by the hash of their tags (a
 * table of chains through `Context.nextSameTags`, no Map entry per set), and each tags array
 * instance remembers the last context it resolved to (a WeakMap, dropped with the array). So a
 * sample is a WeakMap hit plus a name and host comparison; another name on the same array walks
 * the chain of its tag set. Tags are normalized (copy, sort, dedup, join) once per array
 * instance, not per sample.
 */
export class ContextResolver {
  readonly #byArray = new WeakMap<readonly string[], Context>();
  // The index: an open hash table of chain heads by tag hash, its size a power of two kept at
  // least the number of contexts (a Map entry costs ~37 bytes per tag set, a slot here 8-16).
  #heads: (Context | undefined)[] = new Array<Context | undefined>(MIN_HEADS).fill(undefined);
  // An array, not a Set (8 bytes per context instead of ~40): removal only happens in expire(),
  // which walks every context anyway and compacts in place.
  readonly #contexts: Context[] = [];
  readonly #limit: number;
  readonly #shards: number;
  #tagSets = 0;

  public constructor(options: ContextResolverOptions) {
    this.#limit = options.contextLimit;
    this.#shards = options.shards;
  }

  /**
   * The context, or undefined when it is new and the context limit is reached. `source` is only
   * read when the context is created (it is not part of the identity, as in the Agent).
   */
  public resolve(name: string, host: string, tags: readonly string[], source?: MetricSource): Context | undefined {
    const last = this.#byArray.get(tags);
    if (last !== undefined && last.name === name && last.host === host && !last.released) return last;
    return this.#lookup(name, host, tags, last, source);
  }

  /** Live contexts. */
  public get size(): number {
    return this.#contexts.length;
  }

  /** Distinct tag sets of the live contexts. */
  public get tagSetCount(): number {
    return this.#tagSets;
  }

  /** Every live context (for flushes and expiry); do not add or remove while iterating. */
  public contexts(): readonly Context[] {
    return this.#contexts;
  }

  /**
   * Removes contexts not seen since `cutoffSec`, except those still zero-filled as counters
   * (their `lastSeenSec` moves with each zero point), telling `onExpired` of each (the time
   * sampler frees its state for it). Returns how many were removed.
   */
  public expire(cutoffSec: number, onExpired?: (ctx: Context) => void): number {
    const contexts = this.#contexts;
    let kept = 0;
    // Unlinked one by one (chains are short); the table is not shrunk: it was needed once.
    for (let i = 0; i < contexts.length; i++) {
      const ctx = contexts[i] as Context;
      if (ctx.lastSeenSec >= cutoffSec || ctx.counterTracked) contexts[kept++] = ctx;
      else {
        this.#unlink(ctx);
        onExpired?.(ctx);
      }
    }
    const removed = contexts.length - kept;
    contexts.length = kept;
    return removed;
  }

  /** The slow path: a new array, or another name or host than the array's last context. */
  #lookup(name: string, host: string, tags: readonly string[], last: Context | undefined, source: MetricSource | undefined): Context | undefined {
    // The same array always normalizes the same: reuse its last context's key, even expired.
    let key: TagKey;
    let hash: number;
    if (last === undefined) ({ key, hash } = normalizeTags(tags));
    else {
      key = last.tagKey;
      hash = last.tagHash;
    }
    const heads = this.#heads;
    const at = hash & (heads.length - 1);
    const head = heads[at];
    let sameSet: Context | undefined;
    for (let ctx = head; ctx !== undefined; ctx = ctx.nextSameTags) {
      if (ctx.tagHash !== hash || !sameTagKey(ctx.tagKey, key)) continue;
      if (ctx.name === name && ctx.host === host) {
        this.#byArray.set(tags, ctx);
        return ctx;
      }
      sameSet = ctx;
    }
    if (this.#limit > 0 && this.#contexts.length >= this.#limit) return undefined;
    const shard = this.#shards === 1 ? 0 : hashString(name, hashString(host, hash)) % this.#shards;
    // Contexts of one tag set share one key string (or array).
    const ctx = new Context(name, host, sameSet?.tagKey ?? key, hash, shard, source);
    if (sameSet === undefined) this.#tagSets++;
    ctx.nextSameTags = head;
    heads[at] = ctx;
    this.#contexts.push(ctx);
    this.#byArray.set(tags, ctx);
    if (this.#contexts.length > heads.length) this.#rehash(heads.length * 2);
    return ctx;
  }

  /** Takes an expired context out of the index (the caller drops it from #contexts). */
  #unlink(ctx: Context): void {
    ctx.release();
    const heads = this.#heads;
    const at = ctx.tagHash & (heads.length - 1);
    const head = heads[at];
    if (head === ctx) heads[at] = ctx.nextSameTags;
    else {
      let prev = head;
      while (prev !== undefined && prev.nextSameTags !== ctx) prev = prev.nextSameTags;
      if (prev !== undefined) prev.nextSameTags = ctx.nextSameTags;
    }
    ctx.nextSameTags = undefined;
    for (let other = heads[at]; other !== undefined; other = other.nextSameTags) {
      if (other.tagHash === ctx.tagHash && sameTagKey(other.tagKey, ctx.tagKey)) return;
    }
    this.#tagSets--;
  }

  /** Re-chains every live context into a table of `size` heads (a power of two). */
  #rehash(size: number): void {
    const heads = new Array<Context | undefined>(size).fill(undefined);
    const mask = size - 1;
    // Walked in creation order, each pushed at its head: within a chain, newer first, as before.
    for (const ctx of this.#contexts) {
      const at = ctx.tagHash & mask;
      ctx.nextSameTags = heads[at];
      heads[at] = ctx;
    }
    this.#heads = heads;
  }
}
