import type { MetricSource } from '@agentkit/serializer';
import { Context, type TagKey } from './context.js';
import { hashString, normalizeTags, sameTagKey } from './tag-set.js';

export interface ContextResolverOptions {
  /** Live contexts allowed; 0 means unlimited. */
  readonly contextLimit: number;
  /** Time samplers to spread contexts over. */
  readonly shards: number;
}

/**
 * Maps (name, host, tags) to a Context, creating it on first use. No key string is built per
 * sample, and there is no object per tag set: contexts are indexed by the hash of their tags (a
 * Map to the first, the others chained through `Context.nextSameTags`), and each tags array
 * instance remembers the last context it resolved to (a WeakMap, dropped with the array). So a
 * sample is a WeakMap hit plus a name and host comparison; another name on the same array walks
 * the chain of its tag set. Tags are normalized (copy, sort, dedup, join) once per array
 * instance, not per sample.
 */
export class ContextResolver {
  readonly #byArray = new WeakMap<readonly string[], Context>();
  readonly #byTagHash = new Map<number, Context>();
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
    const head = this.#byTagHash.get(hash);
    let sameSet: Context | undefined;
    for (let ctx = head; ctx !== undefined; ctx = ctx.nextSameTags) {
      if (!sameTagKey(ctx.tagKey, key)) continue;
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
    this.#byTagHash.set(hash, ctx);
    this.#contexts.push(ctx);
    this.#byArray.set(tags, ctx);
    return ctx;
  }

  /** Takes an expired context out of the index (the caller drops it from #contexts). */
  #unlink(ctx: Context): void {
    ctx.release();
    const hash = ctx.tagHash;
    let head = this.#byTagHash.get(hash);
    if (head === ctx) {
      head = ctx.nextSameTags;
      if (head === undefined) this.#byTagHash.delete(hash);
      else this.#byTagHash.set(hash, head);
    } else {
      let prev = head;
      while (prev !== undefined && prev.nextSameTags !== ctx) prev = prev.nextSameTags;
      if (prev !== undefined) prev.nextSameTags = ctx.nextSameTags;
    }
    ctx.nextSameTags = undefined;
    for (let other = head; other !== undefined; other = other.nextSameTags) if (sameTagKey(other.tagKey, ctx.tagKey)) return;
    this.#tagSets--;
  }
}
