import { ItemDetacher, type Serie, type SketchSeries } from '@agentkit/serializer';
import type { ClosedBuckets } from './closed-buckets.js';

/**
 * Materialises flushes into arrays: every serie and sketch series of the closed buckets given
 * to `collect`, in the order the serializer would pull them, as plain data (`ItemDetacher`). For tests and tools that want a
 * flush's output at once; the demultiplexer streams {@link ClosedBuckets} instead.
 */
export class SeriesCollector {
  public readonly series: Serie[] = [];
  readonly #detacher = new ItemDetacher();
  public readonly sketches: SketchSeries[] = [];

  /** Pulls every serie and sketch series out of `closed` (which cannot be pulled again). */
  public collect(closed: ClosedBuckets): this {
    for (const serie of closed.series()) this.series.push(this.#detacher.detach(serie));
    for (const sketch of closed.sketches()) this.sketches.push(this.#detacher.detach(sketch));
    return this;
  }
}
