import type { MetricSource } from '@agentkit/serializer';

/** A context without a time sampler slot (not sampled yet, or released). */
export const NO_SLOT = -1;

/**
 * A context's tags, normalized (sorted, unique): joined with ',' (a DogStatsD tag never holds
 * one) in one flat string, or, when they cannot be split back (an empty set, an empty tag, a
 * tag with ','), the frozen array itself.
 */
export type TagKey = string | readonly string[];

// `#bits`: the shard (dogstatsd_pipeline_count ≤ 256), the source, two flags, and the low bits
// of the resolver's hash. One small integer (below 2^30: a Smi) instead of five fields (8 bytes
// each, per context).
const SHARD_MASK = 0xff;
const SOURCE_SHIFT = 8;
const SOURCE_MASK = 0b11 << SOURCE_SHIFT;
const COUNTER_TRACKED = 1 << 10;
const RELEASED = 1 << 11;
const MARKED = 1 << 12;
const HASH_SHIFT = 13;
/** How many low bits of its hash a context keeps (the resolver recomputes the rest when its table outgrows them). */
export const CONTEXT_HASH_BITS = 17;
/** A source's code in `#bits`; 0: none (`dogstatsd`). */
const SOURCES: readonly (MetricSource | undefined)[] = [undefined, 'dogstatsd', 'serverless-custom', 'serverless-enhanced'];

/**
 * One metric context: name + host + tag set (the type is not part of it, as in the Agent), and
 * what its expiry needs. There is no object per tag set: the context holds its normalized tags
 * (`tagKey`, shared by the contexts of one tag set when they come through one tags array), and
 * chains to the next context of its slot in the resolver's index (7 fields: 80 bytes). The time sampler's state for it (last
 * bucket, counter zero-fill) lives in that sampler (`ContextSlots`); the context only carries
 * its slot number there.
 */
export class Context {
  public readonly name: string;
  public readonly host: string;
  /** Its tags, normalized; the same string (or array) for every context of one tag set. */
  public readonly tagKey: TagKey;
  /**
   * Unix seconds of the newest sample (or zero-fill): contexts unseen for long expire. The
   * sampler stores whole seconds (rounded up), so the field stays a small integer rather than
   * a boxed double (16 bytes more per context).
   */
  public lastSeenSec = 0;
  /** Next context in its chain of the resolver's index. */
  public nextInChain: Context | undefined;
  /** Its index in its time sampler's `ContextSlots`, or NO_SLOT; written by that sampler only. */
  public samplerSlot = NO_SLOT;
  #bits: number;

  /** `shard` below 256 (the pipeline count's bound); `hash`: the resolver's, of which the low CONTEXT_HASH_BITS are kept. */
  public constructor(name: string, host: string, tagKey: TagKey, shard: number, hash: number, source?: MetricSource) {
    this.name = name;
    this.host = host;
    this.tagKey = tagKey;
    const hashBits = (hash & ((1 << CONTEXT_HASH_BITS) - 1)) << HASH_SHIFT;
    this.#bits = (shard & SHARD_MASK) | (Math.max(SOURCES.indexOf(source), 0) << SOURCE_SHIFT) | hashBits;
  }

  /** The low CONTEXT_HASH_BITS bits of the hash the resolver gave it. */
  public get hashBits(): number {
    return this.#bits >>> HASH_SHIFT;
  }

  /** The origin of its series and sketches; undefined means `dogstatsd`. */
  public get source(): MetricSource | undefined {
    return SOURCES[(this.#bits & SOURCE_MASK) >> SOURCE_SHIFT];
  }

  /** Which time sampler owns this context's buckets. */
  public get shard(): number {
    return this.#bits & SHARD_MASK;
  }

  /**
   * True while its time sampler zero-fills this context as a counter: expiry keeps it, as the
   * sampler still holds it.
   */
  public get counterTracked(): boolean {
    return (this.#bits & COUNTER_TRACKED) !== 0;
  }

  public set counterTracked(tracked: boolean) {
    this.#bits = tracked ? this.#bits | COUNTER_TRACKED : this.#bits & ~COUNTER_TRACKED;
  }

  /** True once expired: the resolver no longer finds it (a cached reference must not be used). */
  public get released(): boolean {
    return (this.#bits & RELEASED) !== 0;
  }

  /**
   * A mark a time sampler sets and clears within one synchronous walk of a bucket (which
   * contexts a closing bucket holds, without an index of it); false outside such a walk.
   */
  public get marked(): boolean {
    return (this.#bits & MARKED) !== 0;
  }

  public set marked(marked: boolean) {
    this.#bits = marked ? this.#bits | MARKED : this.#bits & ~MARKED;
  }

  /** Marks the context expired; only the resolver calls this. */
  public release(): void {
    this.#bits |= RELEASED;
  }

  /**
   * Sorted, unique, frozen. A new array per call when the tags are kept joined: read it once per
   * context per flush (the series of one context share it), not per sample.
   */
  public get tags(): readonly string[] {
    const key = this.tagKey;
    return typeof key === 'string' ? Object.freeze(key.split(',')) : key;
  }
}
