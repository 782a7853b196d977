/** Byte spans `[start, end)` of a repeated string field, in a reused array that grows on demand. */
export class Spans {
  #at = new Int32Array(32);
  #count = 0;

  public get count(): number {
    return this.#count;
  }

  public start(i: number): number {
    return this.#at[2 * i] as number;
  }

  public end(i: number): number {
    return this.#at[2 * i + 1] as number;
  }

  /** @internal */
  public clear(): void {
    this.#count = 0;
  }

  /** @internal */
  public push(start: number, end: number): void {
    if (2 * this.#count + 2 > this.#at.length) {
      const grown = new Int32Array(2 * this.#at.length);
      grown.set(this.#at);
      this.#at = grown;
    }
    this.#at[2 * this.#count] = start;
    this.#at[2 * this.#count + 1] = end;
    this.#count++;
  }
}

/**
 * One `MetricPayload.MetricSeries` as the scanner saw it: where its identity lies in `bytes`,
 * nothing decoded. The same object is handed on for every series: read it in the callback.
 */
export interface ScannedSeries {
  readonly bytes: Buffer;
  /** The series' message (without its field header): `decodeSeriesV2At(bytes, start, end)` decodes it. */
  readonly start: number;
  readonly end: number;
  /** The last `metric` field's span (empty when absent), as the decoder keeps the last. */
  readonly metricStart: number;
  readonly metricEnd: number;
  /** The last `type` field (0 when absent). */
  readonly type: number;
  readonly tags: Spans;
  /** Each resource's `type` and `name` spans (the last of each within the resource; empty when absent). */
  readonly resourceTypes: Spans;
  readonly resourceNames: Spans;
}

/** One `SketchPayload.Sketch` as the scanner saw it (see {@link ScannedSeries}). */
export interface ScannedSketch {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  readonly metricStart: number;
  readonly metricEnd: number;
  readonly hostStart: number;
  readonly hostEnd: number;
  readonly tags: Spans;
  /** Legacy `Distribution` entries (field 3), as the decoder counts them. */
  readonly distributionCount: number;
}
