/**
 * What a flush hands the serializer instead of an array: an iterator over series (or sketch
 * series) built one at a time as the serializer pulls them. Its first item is pulled when it is
 * made (`of` returns undefined for a flush with nothing to send, so nothing is called), and it
 * counts what it has handed over, so a stop that runs out of time can count exactly what the
 * serializer did not confirm (`discardRest`). Iterable once; single threaded.
 */
export class FlushStream<T> implements IterableIterator<T> {
  readonly #items: Iterator<T>;
  readonly #onItem: (() => void) | undefined;
  #first: T | undefined;
  #hasFirst = true;
  #handed = 0;

  private constructor(items: Iterator<T>, first: T, onItem: (() => void) | undefined) {
    this.#items = items;
    this.#first = first;
    this.#onItem = onItem;
  }

  /** A stream of `items`, or undefined when there are none; `onItem` is called for each item handed over. */
  public static of<T>(items: Iterator<T>, onItem?: () => void): FlushStream<T> | undefined {
    const first = items.next();
    return first.done === true ? undefined : new FlushStream(items, first.value, onItem);
  }

  public [Symbol.iterator](): this {
    return this;
  }

  public next(): IteratorResult<T, undefined> {
    let result: IteratorResult<T, undefined>;
    if (this.#hasFirst) {
      result = { done: false, value: this.#first as T };
      this.#hasFirst = false;
      this.#first = undefined;
    } else {
      const next = this.#items.next();
      result = next.done === true ? { done: true, value: undefined } : next;
    }
    if (result.done !== true) {
      this.#handed++;
      this.#onItem?.();
    }
    return result;
  }

  /** Items handed over so far. */
  public get handed(): number {
    return this.#handed;
  }

  /**
   * Pulls and drops what was not handed over yet, and returns how many items the stream held in
   * all: once a stop has counted them as lost, they are not sent after all.
   */
  public discardRest(): number {
    let rest = this.#hasFirst ? 1 : 0;
    this.#hasFirst = false;
    this.#first = undefined;
    while (this.#items.next().done !== true) rest++;
    return this.#handed + rest;
  }
}
