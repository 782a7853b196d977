/**
 * A small streaming protobuf writer (no schema compiler at run time): varints, zig-zag, doubles,
 * strings and length-delimited messages written into one growing Buffer.
 *
 * Nested messages reserve one byte for their length and shift the body when the length needs
 * more (a `copyWithin` of the body, cheap next to encoding it), so one pass writes every field.
 */

const DEFAULT_INITIAL_CAPACITY_BYTES = 64 * 1024;
const TWO_POW_32 = 0x1_0000_0000;

/** Wire types of the protobuf encoding. */
export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;

export class ProtoWriter {
  #buf: Buffer;
  #pos = 0;

  public constructor(initialCapacityBytes = DEFAULT_INITIAL_CAPACITY_BYTES) {
    this.#buf = Buffer.allocUnsafe(Math.max(16, initialCapacityBytes));
  }

  /** Bytes written so far. */
  public get length(): number {
    return this.#pos;
  }

  /** Forgets everything written from `position` on (an item that did not fit, or a reuse). */
  public truncate(position: number): void {
    this.#pos = Math.min(this.#pos, position);
  }

  /**
   * The bytes written so far, as a view of the writer's buffer: valid until the writer is
   * written to or truncated again (copy it, or stop writing, while it is read).
   */
  public bytes(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }

  /** Appends everything written here to `target` (no view made: a hot path, once per item). */
  public copyTo(target: ProtoWriter): void {
    target.#ensure(this.#pos);
    this.#buf.copy(target.#buf, target.#pos, 0, this.#pos);
    target.#pos += this.#pos;
  }

  /** A copy of everything written (for one-shot encodings). */
  public toBuffer(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.#pos));
  }

  public tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** An unsigned varint of any safe integer (≥ 0). Negative values are written as int64. */
  public varint(value: number): void {
    if (value < 0) {
      this.#int64Negative(value);
      return;
    }
    this.#ensure(10);
    const buf = this.#buf;
    let pos = this.#pos;
    if (value < TWO_POW_32) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buf[pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[pos++] = v;
    } else {
      let v = value;
      while (v > 0x7f) {
        buf[pos++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
      buf[pos++] = v;
    }
    this.#pos = pos;
  }

  /** A sint32 (zig-zag): small negative numbers stay small. */
  public sint32(value: number): void {
    this.varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  public double(value: number): void {
    this.#ensure(8);
    this.#buf.writeDoubleLE(value, this.#pos);
    this.#pos += 8;
  }

  /** Field `field` as a varint; omitted when 0, as proto3 does. */
  public varintField(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WireType.Varint);
    this.varint(value);
  }

  public doubleField(field: number, value: number): void {
    this.tag(field, WireType.Fixed64);
    this.double(value);
  }

  /** Field `field` as a UTF-8 string; omitted when empty unless `always`. */
  public stringField(field: number, value: string, always = false): void {
    if (value.length === 0 && !always) return;
    this.tag(field, WireType.LengthDelimited);
    this.string(value);
  }

  /** A length-prefixed UTF-8 string. */
  public string(value: string): void {
    const n = value.length;
    // Short ASCII strings (metric names, tags) are copied by hand: cheaper than a call into
    // the native UTF-8 encoder for a few dozen bytes.
    if (n < 128) {
      this.#ensure(1 + n * 3);
      const buf = this.#buf;
      const start = this.#pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[this.#pos] = n;
        this.#pos = start + n;
        return;
      }
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(bytes);
    this.#ensure(bytes);
    this.#buf.write(value, this.#pos, bytes, 'utf8');
    this.#pos += bytes;
  }

  /**
   * Field `field` once per ','-separated part of `joined` (as `joined.split(',')` would give
   * them, an empty part included), each written from its range of `joined`: no substring, no
   * array, for the tag sets the aggregator keeps joined.
   */
  public joinedStringsField(field: number, joined: string): void {
    let start = 0;
    for (;;) {
      const comma = joined.indexOf(',', start);
      const end = comma < 0 ? joined.length : comma;
      this.tag(field, WireType.LengthDelimited);
      this.#stringRange(joined, start, end);
      if (comma < 0) return;
      start = comma + 1;
    }
  }

  /** `value.slice(start, end)` as a length-prefixed UTF-8 string; short ASCII without the slice. */
  #stringRange(value: string, start: number, end: number): void {
    const n = end - start;
    if (n < 128) {
      this.#ensure(1 + n);
      const buf = this.#buf;
      const at = this.#pos + 1 - start;
      let i = start;
      for (; i < end; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === end) {
        buf[this.#pos] = n;
        this.#pos += 1 + n;
        return;
      }
    }
    this.string(value.slice(start, end));
  }

  /** UTF-8 text with no length prefix (JSON payloads share the writer). */
  public text(value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8');
    this.#ensure(bytes);
    this.#buf.write(value, this.#pos, bytes, 'utf8');
    this.#pos += bytes;
  }

  /** Raw bytes, as they are (already encoded). */
  public raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /** Starts a length-delimited field; returns the mark `endMessage` needs. */
  public beginMessage(field: number): number {
    this.tag(field, WireType.LengthDelimited);
    this.#ensure(1);
    this.#pos += 1;
    return this.#pos;
  }

  /** Ends the field started at `mark`, writing its length in front of it. */
  public endMessage(mark: number): void {
    const length = this.#pos - mark;
    if (length < 0x80) {
      this.#buf[mark - 1] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.#ensure(extra);
    this.#buf.copyWithin(mark + extra, mark, this.#pos);
    const end = this.#pos + extra;
    this.#pos = mark - 1;
    this.varint(length);
    this.#pos = end;
  }

  #int64Negative(value: number): void {
    // Two's complement over 64 bits, as protobuf writes a negative int64: always 10 bytes.
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    this.#ensure(10);
    while (v > 0x7fn) {
      this.#buf[this.#pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#pos++] = Number(v);
  }

  #ensure(bytes: number): void {
    const needed = this.#pos + bytes;
    if (needed <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(needed, this.#buf.length * 2, 16));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }
}

/** How many bytes the varint encoding of `value` (≥ 0) takes. */
export function varintSize(value: number): number {
  let size = 1;
  let v = value;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}
