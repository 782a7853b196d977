import type { DropCounter } from '@agentkit/core';

/** The kind of context a payload's items are, as the history's `context_limit` drops say. */
export type ContextKind = 'series' | 'sketch';

/**
 * Scanned items the history refuses as new contexts past its limit, counted as `#addSeries` /
 * `#addSketch` count them, but once per payload (one drop call, the first one's metric as the
 * log's sample) rather than once per item: no decoding, and no detail object per item. Filled
 * on arrival (see `StreamedPayload`) or when stored, reported when stored.
 */
export class RefusedContexts {
  readonly #kind: ContextKind;
  #count = 0;
  #metric = '';
  #legacy = 0;
  #legacyMetric = '';

  public constructor(kind: ContextKind) {
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

  /** Adds what `other` counted (on arrival) to this tally. */
  public absorb(other: RefusedContexts): void {
    if (other.#count > 0 && this.#count === 0) this.#metric = other.#metric;
    this.#count += other.#count;
    if (other.#legacy > 0 && this.#legacy === 0) this.#legacyMetric = other.#legacyMetric;
    this.#legacy += other.#legacy;
  }

  public report(drops: DropCounter): void {
    if (this.#legacy > 0) drops.drop('legacy_distribution', this.#legacy, { metric: this.#legacyMetric });
    if (this.#count > 0) drops.drop('context_limit', this.#count, { metric: this.#metric, kind: this.#kind });
  }
}
