import type { FlushStream } from './flush-stream.js';

/** How many items a send carries: a count, or a stream that counts as it is pulled. */
export type SendItems = number | FlushStream<unknown>;

/**
 * Sends handed to the serializer and not yet resolved, with the items each carries, so a stop
 * that runs out of time can count exactly what it could not confirm. A send that rejects (the
 * contract says it never does) is counted as failed, never thrown.
 */
export class PendingSends {
  readonly #pending = new Map<Promise<void>, SendItems>();
  #failedItems = 0;

  /** Tracks `send`; the returned promise resolves when it settles and never rejects. */
  public track(send: Promise<void>, items: SendItems): Promise<void> {
    const settled = send.then(
      () => {
        this.#pending.delete(settled);
      },
      () => {
        this.#pending.delete(settled);
        this.#failedItems += total(items);
      },
    );
    this.#pending.set(settled, items);
    return settled;
  }

  /** Resolves when every send tracked so far has settled. */
  public async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending.keys());
  }

  /** Items handed to the serializer in sends not settled yet (a stream's items not pulled yet are not counted). */
  public get pendingItems(): number {
    let n = 0;
    for (const items of this.#pending.values()) n += typeof items === 'number' ? items : items.handed;
    return n;
  }

  /**
   * Every item of the sends not settled yet, pulled or not; what a stream still holds is
   * dropped (see `FlushStream.discardRest`). For a stop that gives up waiting.
   */
  public takeUnconfirmedItems(): number {
    let n = 0;
    for (const items of this.#pending.values()) n += total(items);
    return n;
  }

  /** Items whose send rejected, since the last call; resets the count. */
  public takeFailedItems(): number {
    const n = this.#failedItems;
    this.#failedItems = 0;
    return n;
  }
}

function total(items: SendItems): number {
  return typeof items === 'number' ? items : items.discardRest();
}
