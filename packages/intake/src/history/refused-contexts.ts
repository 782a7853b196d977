import type { DropCounter } from '@agentkit/core';

/**
 * Scanned items refused as new contexts past the limit, counted as `#addSeries` / `#addSketch`
 * count them, but once per payload (one drop call, the first one's metric as the log's sample)
 * rather than once per item: no decoding, and no detail object per item.
 */
export class RefusedContexts {
  readonly #kind: 'series' | 'sketch';
  #count = 0;
  #metric = '';
  #legacy = 0;
  #legacyMetric = '';

  public constructor(kind: 'series' | 'sketch') {
    this.#kind = kind;
  }

  public add(bytes: Buffer, metricStart: number, metricEnd: number): void {
    if (this.#count++ === 0) this.#metric = bytes.toString('utf8', metricStart, metricEnd);
  }

  /** Legacy distributions of a refused sketch: counted as when it is decoded. */
  public legacy(count: number, bytes: Buffer, metricStart: number, metricEnd: number): void {
    if (this.#legacy === 0) this.#legacyMetric = bytes.toString('utf8', metricStart, metricEnd);
    this.#legacy += count;
  }

  public report(drops: DropCounter): void {
    if (this.#legacy > 0) drops.drop('legacy_distribution', this.#legacy, { metric: this.#legacyMetric });
    if (this.#count > 0) drops.drop('context_limit', this.#count, { metric: this.#metric, kind: this.#kind });
  }
}
