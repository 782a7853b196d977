/**
 * A bounded FIFO on one array (undici's FixedQueue idea): `push`, `shift` and `peek` are O(1),
 * where `Array#shift` is O(n) on a large array. The array starts at {@link INITIAL_RING_SLOTS}
 * slots and doubles while the items need it, up to the capacity, then stays: a queue that is
 * mostly empty (an idle agent's, an intake's history nobody sent to) holds no capacity-sized
 * array, and once grown, pushing and shifting allocate nothing.
 *
 * When full, the caller picks the policy per call: `push` refuses the new item (queues that
 * push back on their producer: the DogStatsD server, the forwarder's priority queues),
 * `pushOverwrite` drops the oldest one (histories that keep the newest items: the intake).
 *
 * Items must not be `undefined` (`shift`/`peek` return it for "empty"). Not thread-safe (Node
 * runs one thread); never blocks. The ring keeps references to what it holds, and lets go of
 * an item as soon as it leaves.
 */
/** The slots a ring starts with (or its capacity, when smaller). */
export const INITIAL_RING_SLOTS = 16;

export class RingBuffer<T> {
  readonly #capacity: number;
  #items: (T | undefined)[];
  #head = 0;
  #length = 0;

  /** Throws a RangeError unless `capacity` is a positive integer. */
  public constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
    this.#items = new Array<T | undefined>(Math.min(capacity, INITIAL_RING_SLOTS)).fill(undefined);
  }

  /** Items held. */
  public get length(): number {
    return this.#length;
  }

  public get capacity(): number {
    return this.#capacity;
  }

  /** Free slots. */
  public get room(): number {
    return this.#capacity - this.#length;
  }

  public get full(): boolean {
    return this.#length === this.#capacity;
  }

  /** Appends `item`; false (and nothing stored) when full. */
  public push(item: T): boolean {
    if (this.#length === this.#items.length) {
      if (this.#length === this.#capacity) return false;
      this.#grow();
    }
    this.#items[this.#wrap(this.#head + this.#length)] = item;
    this.#length++;
    return true;
  }

  /** Appends `item`, dropping the oldest item first when full; true when one was dropped. */
  public pushOverwrite(item: T): boolean {
    if (this.#length < this.#capacity) {
      if (this.#length === this.#items.length) this.#grow();
      this.#items[this.#wrap(this.#head + this.#length)] = item;
      this.#length++;
      return false;
    }
    // Full: the tail slot is the head's, so the new item takes the oldest one's place.
    this.#items[this.#head] = item;
    this.#head = this.#wrap(this.#head + 1);
    return true;
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  public shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const head = this.#head;
    const item = this.#items[head];
    this.#items[head] = undefined; // let the item be collected
    this.#head = this.#wrap(head + 1);
    this.#length--;
    return item;
  }

  /** The oldest item without removing it, or undefined when empty. */
  public peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  /** Removes and returns everything, oldest first. */
  public drain(): T[] {
    const out = this.toArray();
    this.clear();
    return out;
  }

  /** Drops everything held. */
  public clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#length = 0;
  }

  /** Everything held, oldest first, in a new array. */
  public toArray(): T[] {
    const out = new Array<T>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.#items[this.#wrap(this.#head + i)] as T;
    return out;
  }

  /** Oldest first. Pushing or shifting while iterating is not supported. */
  public *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.#length; i++) yield this.#items[this.#wrap(this.#head + i)] as T;
  }

  /** Doubles the array (up to the capacity), the items moved to its start, oldest first. */
  #grow(): void {
    const items = this.toArray() as (T | undefined)[];
    items.length = Math.min(this.#capacity, this.#items.length * 2);
    this.#items = items.fill(undefined, this.#length);
    this.#head = 0;
  }

  /** `index` is at most 2 × the array's length − 1 here: one compare instead of a `%` on the hot path. */
  #wrap(index: number): number {
    const slots = this.#items.length;
    return index >= slots ? index - slots : index;
  }
}
