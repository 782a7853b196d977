import { WireType } from './proto-writer.js';

/** Thrown by {@link ScanCursor} at the first malformed byte (one object, made once): the caller asks the decoder why. */
export const MALFORMED = new Error('malformed protobuf payload (scanner)');

/**
 * `ProtoReader`'s reads without its results: a position in `buf` moved past varints, spans and
 * fixed fields with the same bounds checks, throwing {@link MALFORMED} where `ProtoReader`
 * throws. Nested messages share the one position (a span's bytes are read up to its end, where
 * the outer read resumes), so nothing is allocated per field. Its state is public: it is the
 * scanner's cursor, not an API.
 */
export class ScanCursor {
  public buf: Buffer = Buffer.alloc(0);
  public pos = 0;
  /** The last span read by {@link span}. */
  public spanStart = 0;
  public spanEnd = 0;

  /** A packed repeated varint field (or one unpacked element), as `ProtoReader.packedVarints` reads it. */
  public packedVarints(wireType: number, end: number): void {
    if (wireType === WireType.Varint) {
      this.varint(end);
      return;
    }
    if (wireType !== WireType.LengthDelimited) throw MALFORMED;
    this.span(end);
    const innerEnd = this.spanEnd;
    this.pos = this.spanStart;
    while (this.pos < innerEnd) this.varint(innerEnd);
  }

  /** A field's key, refused (as `ProtoReader.tag` does) when its field number is 0. */
  public tag(end: number): number {
    const key = this.varint(end);
    if (Math.floor(key / 8) === 0) throw MALFORMED;
    return key;
  }

  /** `ProtoReader.varint`, read the same way (a 10-byte varint is a signed int64). */
  public varint(end: number): number {
    const buf = this.buf;
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw MALFORMED;
      const byte = buf[this.pos++] as number;
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

  /** A length-delimited field: sets `spanStart`/`spanEnd` and moves past it. */
  public span(end: number): void {
    const length = this.varint(end);
    if (length < 0) throw MALFORMED;
    this.need(length, end);
    this.spanEnd = this.pos;
    this.spanStart = this.pos - length;
  }

  /** Moves past `bytes` bytes, refusing to pass `end`. */
  public need(bytes: number, end: number): void {
    if (this.pos + bytes > end) throw MALFORMED;
    this.pos += bytes;
  }

  /** Skips a field of an unknown number, as `ProtoReader.skip` does. */
  public skip(wireType: number, end: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint(end);
        return;
      case WireType.Fixed64:
        this.need(8, end);
        return;
      case WireType.LengthDelimited:
        this.span(end);
        return;
      case WireType.Fixed32:
        this.need(4, end);
        return;
      default:
        throw MALFORMED;
    }
  }
}
