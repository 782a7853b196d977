import type { Transaction } from '../forwarder/transaction.js';

/**
 * Transactions waiting for another attempt, bounded by the bytes of their bodies
 * (`forwarder_retry_queue_payloads_max_size`). Kept oldest first by creation time, so the
 * oldest are dropped when full and the newest are retried first, as the Datadog Agent does.
 * Not a hot path: it fills only while an endpoint fails, and is read every retry tick.
 */
export class RetryQueue {
  readonly #maxBytes: number;
  #items: Transaction[] = [];
  #bytes = 0;

  public constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  public get length(): number {
    return this.#items.length;
  }

  /** Bytes of payload bodies held. Never above the bound after `add` returns. */
  public get bytes(): number {
    return this.#bytes;
  }

  /**
   * Adds `tx` and returns what had to go to stay within the bound: the oldest transactions,
   * or `tx` itself when it is older than all of them or bigger than the whole bound.
   */
  public add(tx: Transaction): Transaction[] {
    const size = tx.payload.body.length;
    if (size > this.#maxBytes) return [tx];
    this.#items.splice(this.#insertionIndex(tx.createdAtMs), 0, tx);
    this.#bytes += size;
    if (this.#bytes <= this.#maxBytes) return [];
    let count = 0;
    let freed = 0;
    while (this.#bytes - freed > this.#maxBytes) {
      const oldest = this.#items[count++];
      if (oldest === undefined) break;
      freed += oldest.payload.body.length;
    }
    this.#bytes -= freed;
    return this.#items.splice(0, count);
  }

  /**
   * Removes and returns, newest first, up to `limit` transactions that `accept` takes;
   * `accept` is asked once per transaction, newest first, and may keep its own budget.
   */
  public takeNewest(limit: number, accept: (tx: Transaction) => boolean): Transaction[] {
    const taken: Transaction[] = [];
    if (limit <= 0 || this.#items.length === 0) return taken;
    const kept: Transaction[] = [];
    for (let i = this.#items.length - 1; i >= 0; i--) {
      const tx = this.#items[i] as Transaction;
      if (taken.length < limit && accept(tx)) {
        taken.push(tx);
        this.#bytes -= tx.payload.body.length;
      } else {
        kept.push(tx);
      }
    }
    this.#items = kept.reverse();
    return taken;
  }

  /** Removes and returns the newest transaction. */
  public popNewest(): Transaction | undefined {
    const tx = this.#items.pop();
    if (tx !== undefined) this.#bytes -= tx.payload.body.length;
    return tx;
  }

  /** Removes and returns everything, oldest first. */
  public drain(): Transaction[] {
    const all = this.#items;
    this.#items = [];
    this.#bytes = 0;
    return all;
  }

  // First index whose creation time is later than `createdAtMs`: equal times keep arrival order.
  #insertionIndex(createdAtMs: number): number {
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#items[mid] as Transaction).createdAtMs <= createdAtMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
