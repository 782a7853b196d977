/** What a {@link GenerationCache} holds: the value knows its own (flat) key. */
export interface Keyed {
  /** A flat copy of the key, never a slice of a packet string (it would keep the packet alive). */
  readonly raw: string;
}

/** While thrashing, one new entry in this many is admitted (a working set larger than the cache). */
const ADMIT_ONE_IN = 16;
/** Thrashing ends once fewer than one lookup in this many misses over a window. */
const CALM_MISS_DIVISOR = 8;

/**
 * A bounded cache with two generations: lookups hit the current map, then the previous one
 * (promoting the entry); when the current map is full (entries or characters) it becomes the
 * previous one and the old previous is dropped whole. Hot entries survive every rotation, so
 * the same value object keeps being handed out, with O(1) work and no per-hit bookkeeping
 * (an LRU would pay a delete + set on every hit, on the hot path).
 *
 * When the working set is larger than the cache (more distinct keys cycling than it holds),
 * every key is evicted before it comes back: each miss would build an entry, keep it long
 * enough for V8 to promote it to the old generation, and drop it, so a re-send of 100k
 * contexts left ~37 MB of old-space garbage per round for no hit. So the cache watches its
 * hits and misses over windows of `maxEntries` lookups: a full window that missed more than it
 * hit, with the cache already full, empties it and switches it to admitting one new entry in
 * {@link ADMIT_ONE_IN} (picked at random, so a cyclic key order cannot starve any key): the
 * entries admitted then stay and keep hitting, and what is not admitted dies young. Once a window
 * misses less than one lookup in {@link CALM_MISS_DIVISOR}, every new entry is admitted again.
 * What a caller gets for a key never changes, only whether it is kept.
 */
export class GenerationCache<V extends Keyed> {
  readonly #maxEntries: number;
  readonly #maxChars: number;
  #current = new Map<string, V>();
  #previous = new Map<string, V>();
  #chars = 0;
  #windowHits = 0;
  #windowMisses = 0;
  #thrashing = false;
  #random = 0x2545f491;

  public constructor(maxEntries: number, maxChars: number) {
    this.#maxEntries = maxEntries;
    this.#maxChars = maxChars;
  }

  public get(key: string): V | undefined {
    const hit = this.#current.get(key);
    if (hit !== undefined) {
      this.#count(true);
      return hit;
    }
    const old = this.#previous.get(key);
    this.#count(old !== undefined);
    if (old !== undefined) this.#store(old);
    return old;
  }

  /** Caches a value missing from the cache (unless it is thrashing and this one is not picked). */
  public set(value: V): void {
    if (this.admits()) this.#store(value);
  }

  /**
   * Draws whether the next new value would be kept (always, unless thrashing): for a caller that
   * builds something cheaper than a value when it would not be; then {@link add} what is kept.
   */
  public admits(): boolean {
    return !this.#thrashing || this.#admit();
  }

  /** Caches a value missing from the cache, already admitted by {@link admits}. */
  public add(value: V): void {
    this.#store(value);
  }

  public get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /** True while new entries are sampled rather than all admitted (telemetry and tests). */
  public get thrashing(): boolean {
    return this.#thrashing;
  }

  #store(value: V): void {
    if (this.#current.size >= this.#maxEntries || this.#chars >= this.#maxChars) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#chars = 0;
    }
    this.#current.set(value.raw, value);
    this.#chars += value.raw.length;
  }

  #count(hit: boolean): void {
    if (hit) this.#windowHits++;
    else this.#windowMisses++;
    const lookups = this.#windowHits + this.#windowMisses;
    if (lookups < this.#maxEntries) return;
    const misses = this.#windowMisses;
    if (this.#thrashing) this.#thrashing = misses * CALM_MISS_DIVISOR >= lookups;
    else if (misses > this.#windowHits && this.#previous.size > 0) {
      // Both generations were filled by admitting every miss of a working set larger than the
      // cache, and the window just ended hit fewer than half of its lookups: let them go whole
      // (as the Agent's interner resets when full) rather than keep up to 2 × maxEntries
      // entries for a minority of hits. Sampled admission refills the cache from here.
      this.#thrashing = true;
      this.#current = new Map();
      this.#previous = new Map();
      this.#chars = 0;
    }
    this.#windowHits = 0;
    this.#windowMisses = 0;
  }

  /** xorshift32: cheap, and uncorrelated with the order keys arrive in. */
  #admit(): boolean {
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x >>> 0) % ADMIT_ONE_IN === 0;
  }
}

const NON_ASCII = /[\u0080-\u00ff]/;

/** Bytes held one per char (a latin1 view of a packet) back to the UTF-8 text they encode. */
export function decodeLatin1Bytes(raw: string): string {
  return NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}
