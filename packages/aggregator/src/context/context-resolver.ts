import type { MetricSource } from '@agentkit/serializer';
import { Context } from './context.js';
import { hashString, TagSetCache, type TagSet } from './tag-set.js';

export interface ContextResolverOptions {
  /** Live contexts allowed; 0 means unlimited. */
  readonly contextLimit: number;
  /** Time samplers to spread contexts over. */
  readonly shards: number;
}

/**
 * Maps (name, host, tags) to a Context, creating it on first use. Tag arrays are normalized once
 * per array instance (TagSetCache); a lookup is then a WeakMap hit plus a name comparison (or a
 * small Map lookup when a tag set is shared by several names). No key string is built per sample.
 */
export class ContextResolver {
  readonly #tagSets = new TagSetCache();
  // An array, not a Set (8 bytes per context instead of ~40): removal only happens in expire(),
  // which walks every context anyway and compacts in place.
  readonly #contexts: Context[] = [];
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
    const tagSet = this.#tagSets.resolve(tags);
    let ctx = tagSet.byName === undefined ? tagSet.single : tagSet.byName.get(name);
    if (ctx !== undefined && ctx.name !== name) ctx = undefined;
    while (ctx !== undefined && ctx.host !== host) ctx = ctx.nextHost;
    return ctx ?? this.#create(name, host, tagSet, source);
  }

  /** Live contexts. */
  public get size(): number {
    return this.#contexts.length;
  }

  /** Interned tag sets. */
  public get tagSetCount(): number {
    return this.#tagSets.size;
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

  #create(name: string, host: string, tagSet: TagSet, source: MetricSource | undefined): Context | undefined {
    if (this.#limit > 0 && this.#contexts.length >= this.#limit) {
      // Do not keep a tag set interned for a context that was refused: under a flood of new
      // tag sets the cache would grow without bound, which is what the limit prevents.
      if (tagSet.refs === 0) this.#tagSets.release(tagSet);
      return undefined;
    }
    const shard = this.#shards === 1 ? 0 : hashString(name, hashString(host, tagSet.hash)) % this.#shards;
    const ctx = new Context(name, host, tagSet, shard, source);
    tagSet.refs++;
    this.#contexts.push(ctx);
    if (tagSet.byName === undefined) {
      const single = tagSet.single;
      if (single === undefined) {
        tagSet.single = ctx;
        return ctx;
      }
      if (single.name === name) {
        ctx.nextHost = single.nextHost;
        single.nextHost = ctx;
        return ctx;
      }
      tagSet.byName = new Map([[single.name, single]]);
      tagSet.single = undefined;
    }
    const head = tagSet.byName.get(name);
    if (head === undefined) {
      tagSet.byName.set(name, ctx);
    } else {
      ctx.nextHost = head.nextHost;
      head.nextHost = ctx;
    }
    return ctx;
  }

  /** Detaches an expired context from its tag set (the caller drops it from #contexts). */
  #unlink(ctx: Context): void {
    const tagSet = ctx.tagSet;
    const head = tagSet.byName === undefined ? tagSet.single : tagSet.byName.get(ctx.name);
    if (head === ctx) {
      if (tagSet.byName === undefined) tagSet.single = ctx.nextHost;
      else if (ctx.nextHost === undefined) tagSet.byName.delete(ctx.name);
      else tagSet.byName.set(ctx.name, ctx.nextHost);
    } else {
      let prev = head;
      while (prev !== undefined && prev.nextHost !== ctx) prev = prev.nextHost;
      if (prev !== undefined) prev.nextHost = ctx.nextHost;
    }
    ctx.nextHost = undefined;
    if (--tagSet.refs === 0) this.#tagSets.release(tagSet);
  }
}
