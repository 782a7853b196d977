import { SerializerError, SerializerErrorCode } from '../errors.js';
import { WireType } from './proto-writer.js';

/**
 * Reads protobuf fields from untrusted bytes: every read is bounds-checked and a malformed
 * payload throws `ERR_SERIALIZER_DECODE` (never reads past the end, never loops forever).
 */
export class ProtoReader {
  readonly #buf: Buffer;
  #pos: number;
  readonly #end: number;

  public constructor(buf: Buffer, start = 0, end = buf.length) {
    this.#buf = buf;
    this.#pos = start;
    this.#end = end;
  }

  public get done(): boolean {
    return this.#pos >= this.#end;
  }

  /** The next field's number and wire type. */
  public tag(): { field: number; wireType: number } {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field === 0) fail('field number 0');
    return { field, wireType: key % 8 };
  }

  /** An unsigned varint (exact up to 2^53); a 10-byte varint is a negative int64. */
  public varint(): number {
    let result = 0;
    let scale = 1;
    const start = this.#pos;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.#end) fail('truncated varint');
      const byte = this.#buf[this.#pos++] as number;
      if (i === 9) return this.#int64From(start);
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    return fail('varint longer than 10 bytes');
  }

  #int64From(start: number): number {
    let value = 0n;
    for (let i = 0; i < 10; i++) value |= BigInt((this.#buf[start + i] as number) & 0x7f) << BigInt(7 * i);
    if (((this.#buf[start + 9] as number) & 0x80) !== 0) fail('varint longer than 10 bytes');
    return Number(BigInt.asIntN(64, value));
  }

  public sint32(): number {
    const v = this.varint() >>> 0;
    return (v >>> 1) ^ -(v & 1);
  }

  public double(): number {
    this.#need(8);
    const v = this.#buf.readDoubleLE(this.#pos);
    this.#pos += 8;
    return v;
  }

  public string(): string {
    const [start, end] = this.#span();
    return this.#buf.toString('utf8', start, end);
  }

  /** A nested message: a reader over its bytes. */
  public message(): ProtoReader {
    const [start, end] = this.#span();
    return new ProtoReader(this.#buf, start, end);
  }

  /** A packed repeated varint field (or one unpacked element), appended to `out`. */
  public packedVarints(wireType: number, out: number[], zigzag: boolean): void {
    if (wireType === WireType.Varint) {
      out.push(zigzag ? this.sint32() : this.varint());
      return;
    }
    if (wireType !== WireType.LengthDelimited) fail(`wire type ${wireType} for a repeated varint`);
    const inner = this.message();
    while (!inner.done) out.push(zigzag ? inner.sint32() : inner.varint());
  }

  /** Skips a field of an unknown number. */
  public skip(wireType: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.#need(8);
        this.#pos += 8;
        return;
      case WireType.LengthDelimited:
        this.#span();
        return;
      case WireType.Fixed32:
        this.#need(4);
        this.#pos += 4;
        return;
      default:
        fail(`unsupported wire type ${wireType}`);
    }
  }

  /** Fails unless the field has the expected wire type. */
  public expect(wireType: number, expected: number, what: string): void {
    if (wireType !== expected) fail(`${what}: wire type ${wireType}, expected ${expected}`);
  }

  #span(): [number, number] {
    const length = this.varint();
    if (length < 0) fail('negative length');
    this.#need(length);
    const start = this.#pos;
    this.#pos += length;
    return [start, this.#pos];
  }

  #need(bytes: number): void {
    if (this.#pos + bytes > this.#end) fail('truncated field');
  }
}

function fail(why: string): never {
  throw new SerializerError(SerializerErrorCode.Decode, `malformed protobuf payload: ${why}`);
}
