/**
 * A bounded FIFO on a fixed array: push and shift are O(1) and allocate nothing, unlike
 * `Array.shift` (after undici's FixedQueue). Not thread-safe; never blocks.
 */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #length = 0;

  public constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity).fill(undefined);
  }

  public get length(): number {
    return this.#length;
  }

  public get capacity(): number {
    return this.#items.length;
  }

  /** Free slots. */
  public get room(): number {
    return this.#items.length - this.#length;
  }

  /** Appends `item`; false (and nothing stored) when full. */
  public push(item: T): boolean {
    if (this.#length === this.#items.length) return false;
    this.#items[(this.#head + this.#length) % this.#items.length] = item;
    this.#length++;
    return true;
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  public shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined; // let the payload be collected
    this.#head = (this.#head + 1) % this.#items.length;
    this.#length--;
    return item;
  }

  /** Adds up `measure` over the items held, without removing them (telemetry: O(length), no allocation). */
  public sum(measure: (item: T) => number): number {
    let total = 0;
    for (let i = 0; i < this.#length; i++) total += measure(this.#items[(this.#head + i) % this.#items.length] as T);
    return total;
  }

  /** Removes and returns everything, oldest first. */
  public drain(): T[] {
    const out: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item);
    return out;
  }
}
