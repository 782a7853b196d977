/** What a {@link GenerationCache} holds: the value knows its own (flat) key. */
export interface Keyed {
  /** A flat copy of the key, never a slice of a packet string (it would keep the packet alive). */
  readonly raw: string;
}

/**
 * A bounded cache with two generations: lookups hit the current map, then the previous one
 * (promoting the entry); when the current map is full (entries or characters) it becomes the
 * previous one and the old previous is dropped whole. Hot entries survive every rotation, so
 * the same value object keeps being handed out, with O(1) work and no per-hit bookkeeping
 * (an LRU would pay a delete + set on every hit, on the hot path).
 */
export class GenerationCache<V extends Keyed> {
  readonly #maxEntries: number;
  readonly #maxChars: number;
  #current = new Map<string, V>();
  #previous = new Map<string, V>();
  #chars = 0;

  public constructor(maxEntries: number, maxChars: number) {
    this.#maxEntries = maxEntries;
    this.#maxChars = maxChars;
  }

  public get(key: string): V | undefined {
    const hit = this.#current.get(key);
    if (hit !== undefined) return hit;
    const old = this.#previous.get(key);
    if (old !== undefined) this.set(old);
    return old;
  }

  public set(value: V): void {
    if (this.#current.size >= this.#maxEntries || this.#chars >= this.#maxChars) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#chars = 0;
    }
    this.#current.set(value.raw, value);
    this.#chars += value.raw.length;
  }

  public get size(): number {
    return this.#current.size + this.#previous.size;
  }
}

const NON_ASCII = /[\u0080-\u00ff]/;

/** Bytes held one per char (a latin1 view of a packet) back to the UTF-8 text they encode. */
export function decodeLatin1Bytes(raw: string): string {
  return NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}
