import { SeriesV2Field as F } from '../encode/series-v2.js';
import { SketchField as S } from '../encode/sketches.js';
import { WireType } from '../protobuf/proto-writer.js';
import { MALFORMED, ScanCursor } from '../protobuf/scan-cursor.js';
import { SerializerError, SerializerErrorCode } from '../errors.js';
import { forEachSeriesV2, forEachSketch } from './decode-protobuf.js';
import { Spans, type ScannedSeries, type ScannedSketch } from './scanned-items.js';

/**
 * Walks `MetricPayload` and `SketchPayload` bytes as `forEachSeriesV2` / `forEachSketch` read
 * them (the same fields, read the same way: by field number, whatever the wire type, bounds
 * checked), allocating nothing: a string is a span, a point or bucket is skipped once its bytes
 * are checked. So the intake validates and counts the items it does not keep without building
 * them. What the decoder refuses, the scanner refuses, with the decoder's error (it is asked
 * for it then); what it accepts, the scanner accepts (checked against it by property tests).
 * One scanner is reused for every run of fields; it is not reentrant.
 */
export class ProtoScanner {
  readonly #c = new ScanCursor();
  readonly #series = {
    bytes: this.#c.buf,
    start: 0,
    end: 0,
    metricStart: 0,
    metricEnd: 0,
    type: 0,
    tags: new Spans(),
    resourceTypes: new Spans(),
    resourceNames: new Spans(),
  };
  readonly #sketch = { bytes: this.#c.buf, start: 0, end: 0, metricStart: 0, metricEnd: 0, hostStart: 0, hostEnd: 0, tags: new Spans(), distributionCount: 0 };

  /** Scans a run of whole `MetricPayload` fields; `visit` sees each series once it is checked. Returns how many; throws the decoder's `ERR_SERIALIZER_DECODE`. */
  public seriesV2(fields: Buffer, visit?: (series: ScannedSeries) => void): number {
    try {
      return this.#payload(fields, F.payloadSeries, () => {
        this.#scanSeries(this.#c.spanStart, this.#c.spanEnd);
        visit?.(this.#series);
      });
    } catch (error) {
      if (error !== MALFORMED) throw error;
      return refuse(() => forEachSeriesV2(fields, ignore));
    }
  }

  /** {@link seriesV2} for a run of `SketchPayload` fields. */
  public sketches(fields: Buffer, visit?: (sketch: ScannedSketch) => void): number {
    try {
      return this.#payload(fields, S.payloadSketches, () => {
        this.#scanSketch(this.#c.spanStart, this.#c.spanEnd);
        visit?.(this.#sketch);
      });
    } catch (error) {
      if (error !== MALFORMED) throw error;
      return refuse(() => forEachSketch(fields, ignore));
    }
  }

  #payload(fields: Buffer, itemField: number, onItem: () => void): number {
    this.#c.buf = fields;
    this.#series.bytes = fields;
    this.#sketch.bytes = fields;
    this.#c.pos = 0;
    const end = fields.length;
    let n = 0;
    while (this.#c.pos < end) {
      const key = this.#c.tag(end);
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      if (field === itemField) {
        if (wireType !== WireType.LengthDelimited) throw MALFORMED;
        this.#c.span(end);
        onItem();
        n++;
      } else this.#c.skip(wireType, end);
    }
    return n;
  }

  #scanSeries(start: number, end: number): void {
    const s = this.#series;
    s.start = start;
    s.end = end;
    s.metricStart = s.metricEnd = start;
    s.type = 0;
    s.tags.clear();
    s.resourceTypes.clear();
    s.resourceNames.clear();
    this.#c.pos = start;
    while (this.#c.pos < end) {
      const key = this.#c.tag(end);
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      switch (field) {
        case F.resources:
          this.#c.span(end);
          this.#scanResource(this.#c.spanEnd);
          break;
        case F.metric:
          this.#c.span(end);
          s.metricStart = this.#c.spanStart;
          s.metricEnd = this.#c.spanEnd;
          break;
        case F.tags:
          this.#c.span(end);
          s.tags.push(this.#c.spanStart, this.#c.spanEnd);
          break;
        case F.points:
          this.#c.span(end);
          this.#scanPoint(this.#c.spanEnd);
          break;
        case F.type:
          s.type = this.#c.varint(end);
          break;
        case F.unit:
        case F.sourceTypeName:
          this.#c.span(end);
          break;
        case F.interval:
          this.#c.varint(end);
          break;
        case F.metadata:
          this.#c.span(end);
          this.#scanMetadata(this.#c.spanEnd);
          break;
        default:
          this.#c.skip(wireType, end);
      }
    }
  }

  /** A resource's fields, from the current position to `end` (its span's end, where the outer read resumes). */
  #scanResource(end: number): void {
    this.#c.pos = this.#c.spanStart;
    let typeStart = this.#c.pos;
    let typeEnd = this.#c.pos;
    let nameStart = this.#c.pos;
    let nameEnd = this.#c.pos;
    while (this.#c.pos < end) {
      const key = this.#c.tag(end);
      const field = Math.floor(key / 8);
      if (field === F.resourceType) {
        this.#c.span(end);
        typeStart = this.#c.spanStart;
        typeEnd = this.#c.spanEnd;
      } else if (field === F.resourceName) {
        this.#c.span(end);
        nameStart = this.#c.spanStart;
        nameEnd = this.#c.spanEnd;
      } else this.#c.skip(key % 8, end);
    }
    this.#series.resourceTypes.push(typeStart, typeEnd);
    this.#series.resourceNames.push(nameStart, nameEnd);
  }

  #scanPoint(end: number): void {
    this.#c.pos = this.#c.spanStart;
    while (this.#c.pos < end) {
      const key = this.#c.tag(end);
      const field = Math.floor(key / 8);
      if (field === F.pointValue) {
        if (key % 8 !== WireType.Fixed64) throw MALFORMED;
        this.#c.need(8, end);
      } else if (field === F.pointTimestamp) this.#c.varint(end);
      else this.#c.skip(key % 8, end);
    }
  }

  #scanMetadata(end: number): void {
    this.#c.pos = this.#c.spanStart;
    while (this.#c.pos < end) {
      const key = this.#c.tag(end);
      if (Math.floor(key / 8) !== F.metadataOrigin) {
        this.#c.skip(key % 8, end);
        continue;
      }
      this.#c.span(end);
      const originEnd = this.#c.spanEnd;
      this.#c.pos = this.#c.spanStart;
      while (this.#c.pos < originEnd) {
        const t = this.#c.tag(originEnd);
        const f = Math.floor(t / 8);
        if (f === F.originMetricType || f === F.originProduct || f === F.originCategory || f === F.originService) this.#c.varint(originEnd);
        else this.#c.skip(t % 8, originEnd);
      }
    }
  }

  #scanSketch(start: number, end: number): void {
    const s = this.#sketch;
    s.start = start;
    s.end = end;
    s.metricStart = s.metricEnd = s.hostStart = s.hostEnd = start;
    s.distributionCount = 0;
    s.tags.clear();
    this.#c.pos = start;
    while (this.#c.pos < end) {
      const key = this.#c.tag(end);
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      switch (field) {
        case S.metric:
          this.#c.span(end);
          s.metricStart = this.#c.spanStart;
          s.metricEnd = this.#c.spanEnd;
          break;
        case S.host:
          this.#c.span(end);
          s.hostStart = this.#c.spanStart;
          s.hostEnd = this.#c.spanEnd;
          break;
        case S.tags:
          this.#c.span(end);
          s.tags.push(this.#c.spanStart, this.#c.spanEnd);
          break;
        case S.distributions:
          this.#c.skip(wireType, end);
          s.distributionCount += 1;
          break;
        case S.dogsketches:
          this.#c.span(end);
          this.#scanDogsketch(this.#c.spanEnd);
          break;
        case S.metadata:
          this.#c.span(end);
          this.#scanMetadata(this.#c.spanEnd);
          break;
        default:
          this.#c.skip(wireType, end);
      }
    }
  }

  #scanDogsketch(end: number): void {
    this.#c.pos = this.#c.spanStart;
    while (this.#c.pos < end) {
      const key = this.#c.tag(end);
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      switch (field) {
        case S.ts:
        case S.cnt:
          this.#c.varint(end);
          break;
        case S.min:
        case S.max:
        case S.avg:
        case S.sum:
          this.#c.need(8, end);
          break;
        case S.k:
        case S.n:
          this.#c.packedVarints(wireType, end);
          break;
        default:
          this.#c.skip(wireType, end);
      }
    }
  }
}


const ignore = (): void => {};

/** The decoder's own error for bytes the scanner refused; should the decoder accept them, a decode error all the same. */
function refuse(decode: () => unknown): never {
  decode();
  throw new SerializerError(SerializerErrorCode.Decode, 'malformed protobuf payload: refused by the scanner');
}
