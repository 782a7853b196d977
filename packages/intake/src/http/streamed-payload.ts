import {
  decodeSeriesV2,
  decodeSketches,
  forEachSeriesV2,
  forEachSketch,
  type DecodedMetricSeries,
  type DecodedSeriesV2Payload,
  type DecodedSketch,
  type DecodedSketchPayload,
} from '@agentkit/serializer';

const ignore = (): void => {};

/**
 * A `/api/v2/series` payload checked when it arrives but not kept decoded. The bulk of a flush
 * comes in these, and the history keeps a bounded few of their series: decoding every series
 * of a payload into one array first (~400 bytes each, tens of thousands per payload, several
 * payloads at once) promoted them all to the old heap, which the process then kept (the
 * embedded intake was half of a flush's RSS rise). Here each series is decoded when visited and
 * dropped at once. `payload` (for observers and fault plans) decodes the whole payload once, on
 * first use, and then stands in for the body.
 */
export class StreamedSeriesV2 {
  public readonly kind = 'series_v2';
  /** Series in the payload (counted by the check on arrival). */
  public readonly itemCount: number;
  #raw: Buffer | undefined;
  #payload: DecodedSeriesV2Payload | undefined;

  /** Decodes `raw` (uncompressed) once to check it; throws `ERR_SERIALIZER_DECODE` when malformed. Keeps `raw`. */
  public constructor(raw: Buffer) {
    this.itemCount = forEachSeriesV2(raw, ignore);
    this.#raw = raw;
  }

  public get payload(): DecodedSeriesV2Payload {
    if (this.#payload === undefined) {
      this.#payload = decodeSeriesV2(this.#raw as Buffer);
      this.#raw = undefined;
    }
    return this.#payload;
  }

  /** Each series, decoded as it is visited (none kept); returns how many. */
  public forEach(visit: (series: DecodedMetricSeries) => void): number {
    if (this.#raw !== undefined) return forEachSeriesV2(this.#raw, visit);
    for (const s of this.payload.series) visit(s);
    return this.itemCount;
  }
}

/** {@link StreamedSeriesV2} for a `/api/beta/sketches` payload. */
export class StreamedSketches {
  public readonly kind = 'sketches_v2';
  public readonly itemCount: number;
  #raw: Buffer | undefined;
  #payload: DecodedSketchPayload | undefined;

  public constructor(raw: Buffer) {
    this.itemCount = forEachSketch(raw, ignore);
    this.#raw = raw;
  }

  public get payload(): DecodedSketchPayload {
    if (this.#payload === undefined) {
      this.#payload = decodeSketches(this.#raw as Buffer);
      this.#raw = undefined;
    }
    return this.#payload;
  }

  public forEach(visit: (sketch: DecodedSketch) => void): number {
    if (this.#raw !== undefined) return forEachSketch(this.#raw, visit);
    for (const s of this.payload.sketches) visit(s);
    return this.itemCount;
  }
}
