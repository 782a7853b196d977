const DEFAULT_MAX_BUFFERS = 8;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * A small, bounded set of writer buffers kept between payloads and between flushes.
 *
 * A flush encodes each payload into a buffer of a few MB (doubling up to the payload's size)
 * and hands it to the compressor; allocated afresh each time, those buffers wait outside the
 * V8 heap for a GC that V8 only forces after ~64 MB of external memory, so every flush raised
 * the RSS by tens of MB. Given back here once compressed, the next payload (or the next flush)
 * writes into them instead. At most `maxBuffers` buffers and `maxBytes` bytes are kept: past
 * that a buffer is left to the GC, so the pool's own cost is bounded whatever the flush size.
 * 16 MiB: bench/memory's peak at 100k contexts was the same with 32 MiB (docs/benchmarks.md),
 * and what the pool keeps stays resident between flushes.
 */
export class BufferPool {
  readonly #maxBuffers: number;
  readonly #maxBytes: number;
  /** Free buffers, any order. */
  readonly #free: Buffer[] = [];
  #freeBytes = 0;

  public constructor(maxBuffers = DEFAULT_MAX_BUFFERS, maxBytes = DEFAULT_MAX_BYTES) {
    this.#maxBuffers = maxBuffers;
    this.#maxBytes = maxBytes;
  }

  /** Bytes held by free buffers. */
  public get freeBytes(): number {
    return this.#freeBytes;
  }

  /** A buffer of at least `minBytes` (its contents are garbage): the smallest free one that fits, or a new one. */
  public take(minBytes: number): Buffer {
    const free = this.#free;
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const length = (free[i] as Buffer).length;
      if (length >= minBytes && (best < 0 || length < (free[best] as Buffer).length)) best = i;
    }
    if (best < 0) return Buffer.allocUnsafe(minBytes);
    const buf = free[best] as Buffer;
    free[best] = free[free.length - 1] as Buffer;
    free.pop();
    this.#freeBytes -= buf.length;
    return buf;
  }

  /**
   * Gives back a whole buffer (not a view) nothing reads or writes any more. Kept when it fits
   * the bounds, in place of a smaller free one if need be; otherwise left to the GC.
   */
  public give(buf: Buffer): void {
    // A view (of Node's slab for small buffers, or of a larger buffer) is never kept: its memory is not its own.
    if (buf.length === 0 || buf.byteOffset !== 0 || buf.length !== buf.buffer.byteLength) return;
    const free = this.#free;
    if (free.includes(buf) || buf.length > this.#maxBytes) return;
    // Make room by dropping smaller free buffers, smallest first, only if that is enough.
    const smaller = free.filter((b) => b.length < buf.length).sort((a, b) => a.length - b.length);
    let count = free.length;
    let bytes = this.#freeBytes;
    let drop = 0;
    while ((count >= this.#maxBuffers || bytes + buf.length > this.#maxBytes) && drop < smaller.length) {
      count--;
      bytes -= (smaller[drop] as Buffer).length;
      drop++;
    }
    if (count >= this.#maxBuffers || bytes + buf.length > this.#maxBytes) return;
    for (let i = 0; i < drop; i++) free.splice(free.indexOf(smaller[i] as Buffer), 1);
    free.push(buf);
    this.#freeBytes = bytes + buf.length;
  }
}
