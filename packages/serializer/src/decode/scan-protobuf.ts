import { SeriesV2Field as F } from '../encode/series-v2.js';
import { SketchField as S } from '../encode/sketches.js';
import { WireType } from '../protobuf/proto-writer.js';
import { SerializerError, SerializerErrorCode } from '../errors.js';
import { forEachSeriesV2, forEachSketch } from './decode-protobuf.js';

/** Thrown inside the scanner at the first malformed byte; turned into the decoder's own error. */
const MALFORMED = Symbol('malformed');

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
  #buf: Buffer = Buffer.alloc(0);
  #pos = 0;
  /** The last span read by {@link #span}. */
  #spanStart = 0;
  #spanEnd = 0;
  readonly #series = {
    bytes: this.#buf,
    start: 0,
    end: 0,
    metricStart: 0,
    metricEnd: 0,
    type: 0,
    tags: new Spans(),
    resourceTypes: new Spans(),
    resourceNames: new Spans(),
  };
  readonly #sketch = { bytes: this.#buf, start: 0, end: 0, metricStart: 0, metricEnd: 0, hostStart: 0, hostEnd: 0, tags: new Spans(), distributionCount: 0 };

  /** Scans a run of whole `MetricPayload` fields; `visit` sees each series once it is checked. Returns how many; throws the decoder's `ERR_SERIALIZER_DECODE`. */
  public seriesV2(fields: Buffer, visit?: (series: ScannedSeries) => void): number {
    try {
      return this.#payload(fields, F.payloadSeries, () => {
        this.#scanSeries(this.#spanStart, this.#spanEnd);
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
        this.#scanSketch(this.#spanStart, this.#spanEnd);
        visit?.(this.#sketch);
      });
    } catch (error) {
      if (error !== MALFORMED) throw error;
      return refuse(() => forEachSketch(fields, ignore));
    }
  }

  #payload(fields: Buffer, itemField: number, onItem: () => void): number {
    this.#buf = fields;
    this.#series.bytes = fields;
    this.#sketch.bytes = fields;
    this.#pos = 0;
    const end = fields.length;
    let n = 0;
    while (this.#pos < end) {
      const key = this.#tag(end);
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      if (field === itemField) {
        if (wireType !== WireType.LengthDelimited) throw MALFORMED;
        this.#span(end);
        onItem();
        n++;
      } else this.#skip(wireType, end);
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
    this.#pos = start;
    while (this.#pos < end) {
      const key = this.#tag(end);
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      switch (field) {
        case F.resources:
          this.#span(end);
          this.#scanResource(this.#spanEnd);
          break;
        case F.metric:
          this.#span(end);
          s.metricStart = this.#spanStart;
          s.metricEnd = this.#spanEnd;
          break;
        case F.tags:
          this.#span(end);
          s.tags.push(this.#spanStart, this.#spanEnd);
          break;
        case F.points:
          this.#span(end);
          this.#scanPoint(this.#spanEnd);
          break;
        case F.type:
          s.type = this.#varint(end);
          break;
        case F.unit:
        case F.sourceTypeName:
          this.#span(end);
          break;
        case F.interval:
          this.#varint(end);
          break;
        case F.metadata:
          this.#span(end);
          this.#scanMetadata(this.#spanEnd);
          break;
        default:
          this.#skip(wireType, end);
      }
    }
  }

  /** A resource's fields, from the current position to `end` (its span's end, where the outer read resumes). */
  #scanResource(end: number): void {
    this.#pos = this.#spanStart;
    let typeStart = this.#pos;
    let typeEnd = this.#pos;
    let nameStart = this.#pos;
    let nameEnd = this.#pos;
    while (this.#pos < end) {
      const key = this.#tag(end);
      const field = Math.floor(key / 8);
      if (field === F.resourceType) {
        this.#span(end);
        typeStart = this.#spanStart;
        typeEnd = this.#spanEnd;
      } else if (field === F.resourceName) {
        this.#span(end);
        nameStart = this.#spanStart;
        nameEnd = this.#spanEnd;
      } else this.#skip(key % 8, end);
    }
    this.#series.resourceTypes.push(typeStart, typeEnd);
    this.#series.resourceNames.push(nameStart, nameEnd);
  }

  #scanPoint(end: number): void {
    this.#pos = this.#spanStart;
    while (this.#pos < end) {
      const key = this.#tag(end);
      const field = Math.floor(key / 8);
      if (field === F.pointValue) {
        if (key % 8 !== WireType.Fixed64) throw MALFORMED;
        this.#need(8, end);
      } else if (field === F.pointTimestamp) this.#varint(end);
      else this.#skip(key % 8, end);
    }
  }

  #scanMetadata(end: number): void {
    this.#pos = this.#spanStart;
    while (this.#pos < end) {
      const key = this.#tag(end);
      if (Math.floor(key / 8) !== F.metadataOrigin) {
        this.#skip(key % 8, end);
        continue;
      }
      this.#span(end);
      const originEnd = this.#spanEnd;
      this.#pos = this.#spanStart;
      while (this.#pos < originEnd) {
        const t = this.#tag(originEnd);
        const f = Math.floor(t / 8);
        if (f === F.originMetricType || f === F.originProduct || f === F.originCategory || f === F.originService) this.#varint(originEnd);
        else this.#skip(t % 8, originEnd);
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
    this.#pos = start;
    while (this.#pos < end) {
      const key = this.#tag(end);
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      switch (field) {
        case S.metric:
          this.#span(end);
          s.metricStart = this.#spanStart;
          s.metricEnd = this.#spanEnd;
          break;
        case S.host:
          this.#span(end);
          s.hostStart = this.#spanStart;
          s.hostEnd = this.#spanEnd;
          break;
        case S.tags:
          this.#span(end);
          s.tags.push(this.#spanStart, this.#spanEnd);
          break;
        case S.distributions:
          this.#skip(wireType, end);
          s.distributionCount += 1;
          break;
        case S.dogsketches:
          this.#span(end);
          this.#scanDogsketch(this.#spanEnd);
          break;
        case S.metadata:
          this.#span(end);
          this.#scanMetadata(this.#spanEnd);
          break;
        default:
          this.#skip(wireType, end);
      }
    }
  }

  #scanDogsketch(end: number): void {
    this.#pos = this.#spanStart;
    while (this.#pos < end) {
      const key = this.#tag(end);
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      switch (field) {
        case S.ts:
        case S.cnt:
          this.#varint(end);
          break;
        case S.min:
        case S.max:
        case S.avg:
        case S.sum:
          this.#need(8, end);
          break;
        case S.k:
        case S.n:
          this.#packedVarints(wireType, end);
          break;
        default:
          this.#skip(wireType, end);
      }
    }
  }

  #packedVarints(wireType: number, end: number): void {
    if (wireType === WireType.Varint) {
      this.#varint(end);
      return;
    }
    if (wireType !== WireType.LengthDelimited) throw MALFORMED;
    this.#span(end);
    const innerEnd = this.#spanEnd;
    this.#pos = this.#spanStart;
    while (this.#pos < innerEnd) this.#varint(innerEnd);
  }

  /** A field's key, refused (as `ProtoReader.tag` does) when its field number is 0. */
  #tag(end: number): number {
    const key = this.#varint(end);
    if (Math.floor(key / 8) === 0) throw MALFORMED;
    return key;
  }

  /** `ProtoReader.varint`, read the same way (a 10-byte varint is a signed int64). */
  #varint(end: number): number {
    const buf = this.#buf;
    const start = this.#pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= end) throw MALFORMED;
      const byte = buf[this.#pos++] as number;
      if (i === 9) {
        if ((byte & 0x80) !== 0) throw MALFORMED;
        let value = 0n;
        for (let j = 0; j < 10; j++) value |= BigInt((buf[start + j] as number) & 0x7f) << BigInt(7 * j);
        return Number(BigInt.asIntN(64, value));
      }
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw MALFORMED;
  }

  /** A length-delimited field: sets `#spanStart`/`#spanEnd` and moves past it. */
  #span(end: number): void {
    const length = this.#varint(end);
    if (length < 0) throw MALFORMED;
    this.#need(length, end);
    this.#spanEnd = this.#pos;
    this.#spanStart = this.#pos - length;
  }

  /** Moves past `bytes` bytes, refusing to pass `end`. */
  #need(bytes: number, end: number): void {
    if (this.#pos + bytes > end) throw MALFORMED;
    this.#pos += bytes;
  }

  #skip(wireType: number, end: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.#varint(end);
        return;
      case WireType.Fixed64:
        this.#need(8, end);
        return;
      case WireType.LengthDelimited:
        this.#span(end);
        return;
      case WireType.Fixed32:
        this.#need(4, end);
        return;
      default:
        throw MALFORMED;
    }
  }
}

const ignore = (): void => {};

/** The decoder's own error for bytes the scanner refused; should the decoder accept them, a decode error all the same. */
function refuse(decode: () => unknown): never {
  decode();
  throw new SerializerError(SerializerErrorCode.Decode, 'malformed protobuf payload: refused by the scanner');
}
