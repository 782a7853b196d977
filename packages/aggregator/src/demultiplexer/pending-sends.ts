/**
 * Sends handed to the serializer and not yet resolved, with how many items each carries, so a
 * stop that runs out of time can count exactly what it could not confirm. A send that rejects
 * (the contract says it never does) is counted as failed, never thrown.
 */
export class PendingSends {
  readonly #pending = new Map<Promise<void>, number>();
  #failedItems = 0;

  /** Tracks `send`; the returned promise resolves when it settles and never rejects. */
  public track(send: Promise<void>, items: number): Promise<void> {
    const settled = send.then(
      () => {
        this.#pending.delete(settled);
      },
      () => {
        this.#pending.delete(settled);
        this.#failedItems += items;
      },
    );
    this.#pending.set(settled, items);
    return settled;
  }

  /** Resolves when every send tracked so far has settled. */
  public async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending.keys());
  }

  /** Items in sends not settled yet. */
  public get pendingItems(): number {
    let n = 0;
    for (const items of this.#pending.values()) n += items;
    return n;
  }

  /** Items whose send rejected, since the last call; resets the count. */
  public takeFailedItems(): number {
    const n = this.#failedItems;
    this.#failedItems = 0;
    return n;
  }
}
