/**
 * A fixed-capacity FIFO over a preallocated array (undici's FixedQueue idea): push and shift
 * are O(1) with no allocation, where `Array#shift` is O(n) on large arrays.
 */
export class RingQueue<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #size = 0;

  public constructor(capacity: number) {
    this.#items = new Array<T | undefined>(Math.max(1, capacity)).fill(undefined);
  }

  public get size(): number {
    return this.#size;
  }

  public get capacity(): number {
    return this.#items.length;
  }

  public get full(): boolean {
    return this.#size === this.#items.length;
  }

  /** Adds at the tail; returns false (and keeps nothing) when full. */
  public push(item: T): boolean {
    const capacity = this.#items.length;
    if (this.#size === capacity) return false;
    let tail = this.#head + this.#size;
    if (tail >= capacity) tail -= capacity;
    this.#items[tail] = item;
    this.#size += 1;
    return true;
  }

  /** Removes from the head; undefined when empty. */
  public shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = this.#head + 1 === this.#items.length ? 0 : this.#head + 1;
    this.#size -= 1;
    return item;
  }
}
