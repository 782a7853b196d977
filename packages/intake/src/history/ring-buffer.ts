/**
 * The newest `capacity` items, oldest overwritten first: a fixed array and a head index, so
 * a full buffer costs nothing per push (no `Array#shift`).
 */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #size = 0;

  public constructor(capacity: number) {
    this.#items = new Array<T | undefined>(Math.max(1, Math.floor(capacity)));
  }

  public get size(): number {
    return this.#size;
  }

  public get capacity(): number {
    return this.#items.length;
  }

  /** Adds `item`; returns true when it pushed the oldest item out. */
  public push(item: T): boolean {
    const capacity = this.#items.length;
    this.#items[(this.#head + this.#size) % capacity] = item;
    if (this.#size < capacity) {
      this.#size++;
      return false;
    }
    this.#head = (this.#head + 1) % capacity;
    return true;
  }

  /** Oldest first; a new array. */
  public toArray(): T[] {
    const out: T[] = [];
    const capacity = this.#items.length;
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(this.#head + i) % capacity] as T);
    return out;
  }
}
