import type { Context } from './context.js';

/**
 * A deduplicated, sorted tag set, interned: every tags array with the same set of tags (in any
 * order, with any duplicates) resolves to the same TagSet. The contexts that use it hang off it,
 * so a sample finds its context with one WeakMap lookup and one name comparison, without
 * building a key string per sample.
 */
export class TagSet {
  /**
   * The tags joined with ',' (a DogStatsD tag never holds one): one string instead of an array
   * and a string per tag (~56 bytes instead of ~200 for 5 tags), split again only at flush.
   * Undefined when a tag holds a ',' or is empty (other sources): then `#array` is kept.
   */
  readonly #joined: string | undefined;
  readonly #array: readonly string[] | undefined;
  /** A 30-bit hash of the tags (a small integer: a cheap Map key), to intern and to shard. */
  public readonly hash: number;
  /** Live contexts using this set; at 0 the set is released. */
  public refs = 0;
  /** False once released: arrays still mapped to it must be resolved again. */
  public interned = true;
  /** The only context name while there is one (a Map for several names would cost ~200 bytes). */
  public single: Context | undefined;
  /** Contexts by name once there are two names or more; each entry heads a list by host. */
  public byName: Map<string, Context> | undefined;

  /** Sets sharing this hash (collisions are rare; a list is enough). */
  public nextSameHash: TagSet | undefined;

  /** `tags` sorted and unique; `joined` is `joinTags(tags)`. */
  public constructor(tags: readonly string[], joined: string | undefined, hash: number) {
    this.#joined = joined;
    this.#array = joined === undefined ? tags : undefined;
    this.hash = hash;
  }

  /**
   * Sorted, unique, frozen. A new array per call when the set is kept joined: read it once per
   * context per flush (the series of one context share it), not per sample.
   */
  public get tags(): readonly string[] {
    return this.#array ?? Object.freeze((this.#joined as string).split(','));
  }

  /** Whether this set holds exactly `tags` (sorted, unique), given `joined` = `joinTags(tags)`. */
  public holds(tags: readonly string[], joined: string | undefined): boolean {
    if (joined !== undefined) return this.#joined === joined;
    return this.#array !== undefined && sameTags(this.#array, tags);
  }
}

/** Sorted, unique tags as one string, or undefined when they cannot be split back (an empty set, a tag with ',' or empty). */
export function joinTags(tags: readonly string[]): string | undefined {
  if (tags.length === 0) return undefined;
  for (const tag of tags) if (tag.length === 0 || tag.includes(',')) return undefined;
  // Array#join builds one flat string (not a rope of its parts), so the tags themselves can go.
  return tags.join(',');
}

/**
 * Normalizes tag arrays into interned TagSets. The sample contract shares one immutable array
 * per raw tag string, so the work (copy, sort, dedup, join) is done once per array instance and
 * cached in a WeakMap; an array the parser drops is collected with its cache entry.
 */
export class TagSetCache {
  readonly #byArray = new WeakMap<readonly string[], TagSet>();
  // Interned by hash, not by a joined key string: the string would cost ~100 bytes per tag set.
  readonly #byHash = new Map<number, TagSet>();
  #size = 0;

  /** The interned TagSet for `tags`. */
  public resolve(tags: readonly string[]): TagSet {
    const cached = this.#byArray.get(tags);
    if (cached !== undefined && cached.interned) return cached;
    const set = this.#intern(tags);
    this.#byArray.set(tags, set);
    return set;
  }

  /** Forgets a set no context uses any more (arrays still mapped to it re-resolve on next use). */
  public release(set: TagSet): void {
    if (!set.interned) return;
    set.interned = false;
    this.#size--;
    const head = this.#byHash.get(set.hash);
    if (head === set) {
      if (set.nextSameHash === undefined) this.#byHash.delete(set.hash);
      else this.#byHash.set(set.hash, set.nextSameHash);
    } else {
      let prev = head;
      while (prev !== undefined && prev.nextSameHash !== set) prev = prev.nextSameHash;
      if (prev !== undefined) prev.nextSameHash = set.nextSameHash;
    }
    set.nextSameHash = undefined;
  }

  /** Interned sets (for telemetry and tests). */
  public get size(): number {
    return this.#size;
  }

  #intern(tags: readonly string[]): TagSet {
    // Already sorted and unique (clients often send them so): share the caller's immutable array.
    const normalized = isSortedUnique(tags) ? tags : Object.freeze(sortUniq(tags));
    let hash = 0x811c9dc5;
    for (const tag of normalized) hash = hashString(tag, Math.imul(hash ^ 0x2c, 0x01000193));
    hash &= 0x3fffffff;
    const joined = joinTags(normalized);
    const head = this.#byHash.get(hash);
    for (let set = head; set !== undefined; set = set.nextSameHash) {
      if (set.holds(normalized, joined)) return set;
    }
    const set = new TagSet(normalized, joined, hash);
    set.nextSameHash = head;
    this.#byHash.set(hash, set);
    this.#size++;
    return set;
  }
}

function isSortedUnique(tags: readonly string[]): boolean {
  for (let i = 1; i < tags.length; i++) if ((tags[i - 1] as string) >= (tags[i] as string)) return false;
  return true;
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A sorted copy without duplicates (the Agent's `SortUniq`). */
export function sortUniq(tags: readonly string[]): string[] {
  if (tags.length === 0) return [];
  if (tags.length === 1) return [tags[0] as string];
  const sorted = [...tags].sort();
  let out = 1;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] !== sorted[out - 1]) sorted[out++] = sorted[i] as string;
  }
  sorted.length = out;
  return sorted;
}

/** FNV-1a over UTF-16 code units, continuing from `seed`. */
export function hashString(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
