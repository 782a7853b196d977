import { SerializerError, SerializerErrorCode } from '@agentkit/serializer';

/** Protobuf wire types (groups, 3 and 4, are refused by the decoders, so here too). */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;
/** A header is a tag and a length: two varints of at most 10 bytes. */
const MAX_HEADER_BYTES = 20;
/** The carry buffer's first size; it doubles while one field outgrows it. */
const MIN_CARRY_BYTES = 4 * 1024;

/** `fieldEnd` and `varintAt` results that are not positions (positions are never negative). */
const INCOMPLETE = -1;
const MALFORMED = -2;

/**
 * Where a top-level field that starts at `start` ends (possibly past `end`: its bytes are not
 * all there yet), `INCOMPLETE` when its header is cut at `end`, or `MALFORMED` when its header
 * cannot be read at all (an unknown wire type, a negative length, an 11-byte varint): the decoder
 * refuses it then, with its own message. Reads the header as `ProtoReader` does, allocating
 * nothing (it runs for every item of every payload).
 */
function fieldEnd(buf: Buffer, start: number, end: number): number {
  const key = varintAt(buf, start, end);
  const afterTag = varintEnd;
  if (afterTag < 0) return afterTag;
  switch (key % 8) {
    case VARINT:
      varintAt(buf, afterTag, end);
      return varintEnd;
    case FIXED64:
      return afterTag + 8;
    case FIXED32:
      return afterTag + 4;
    case LENGTH_DELIMITED: {
      const length = varintAt(buf, afterTag, end);
      if (varintEnd < 0) return varintEnd;
      return length < 0 ? MALFORMED : varintEnd + length;
    }
    default:
      return MALFORMED;
  }
}

/** Where the last `varintAt` ended, or `INCOMPLETE` / `MALFORMED`. */
let varintEnd = 0;

/** A varint's value (as `ProtoReader.varint` reads it); sets `varintEnd`. */
function varintAt(buf: Buffer, start: number, end: number): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (start + i >= end) {
      varintEnd = INCOMPLETE;
      return 0;
    }
    const byte = buf[start + i] as number;
    if (i === 9) {
      if ((byte & 0x80) !== 0) {
        varintEnd = MALFORMED;
        return 0;
      }
      let value = 0n;
      for (let j = 0; j < 10; j++) value |= BigInt((buf[start + j] as number) & 0x7f) << BigInt(7 * j);
      varintEnd = start + 10;
      return Number(BigInt.asIntN(64, value));
    }
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      varintEnd = start + i + 1;
      return result;
    }
    scale *= 128;
  }
  varintEnd = MALFORMED;
  return 0;
}

/**
 * Cuts a protobuf message that arrives in chunks (an inflate stream's output) into runs of whole
 * top-level fields, so that each item of a `MetricPayload` or `SketchPayload` (a length-delimited
 * field) is decoded, by the serializer's own decoder, as soon as its last byte has arrived.
 *
 * The fields that lie whole inside a chunk are handed on as one view of that chunk (no copy); a
 * field cut by a chunk's end is copied into a carry buffer, completed from the next chunks and
 * handed on alone. What is alive is the current chunk plus the largest field cut so far: the carry
 * grows with the bytes that arrive, never from a declared length (a lying length costs what was
 * really sent). The framer reads only headers and leaves every refusal to the decoder: a field
 * whose header is malformed, or the bytes of a message that ends inside a field, are handed on as
 * they are, so the decoder throws `ERR_SERIALIZER_DECODE` with the message a whole-buffer decode
 * of the same bytes gives, after the fields before it.
 */
export class FieldFramer {
  readonly #onFields: (fields: Buffer) => void;
  #carry: Buffer = Buffer.alloc(0);
  #carryBytes = 0;
  /** The carried field's full length once its header is known, else -1. */
  #carryNeed = -1;

  /** `onFields` gets a view it must not keep (of the chunk, or of the reused carry buffer); what it throws, `push` and `end` pass on. */
  public constructor(onFields: (fields: Buffer) => void) {
    this.#onFields = onFields;
  }

  /** Hands on every field `chunk` completes. `chunk` is not kept. */
  public push(chunk: Buffer): void {
    let pos = this.#carryBytes > 0 ? this.#completeCarry(chunk) : 0;
    if (pos < 0) return; // the whole chunk went into the carried field
    const runStart = pos;
    while (pos < chunk.length) {
      const end = fieldEnd(chunk, pos, chunk.length);
      if (end === MALFORMED) this.#refuse(chunk.subarray(runStart), 'malformed field header');
      if (end === INCOMPLETE || end > chunk.length) break;
      pos = end;
    }
    if (pos > runStart) this.#onFields(chunk.subarray(runStart, pos));
    if (pos < chunk.length) {
      this.#carryBytes = 0;
      this.#carryNeed = -1;
      this.#append(chunk, pos, chunk.length);
      this.#learnNeed();
    }
  }

  /** The message ended: throws `ERR_SERIALIZER_DECODE` when it ended inside a field. */
  public end(): void {
    if (this.#carryBytes === 0) return;
    const partial = this.#carry.subarray(0, this.#carryBytes);
    this.#carryBytes = 0;
    this.#refuse(partial, 'truncated field');
  }

  /** Hands on bytes the decoder must refuse (it says why, as for the whole payload); should it not, refuses them here. */
  #refuse(bytes: Buffer, why: string): never {
    this.#onFields(bytes);
    throw new SerializerError(SerializerErrorCode.Decode, `malformed protobuf payload: ${why}`);
  }

  /**
   * Adds what the carried field still needs from `chunk` and hands the field on once it is whole;
   * returns where the chunk's own fields start, or -1 when the chunk did not complete the field.
   */
  #completeCarry(chunk: Buffer): number {
    let pos = 0;
    while (this.#carryNeed < 0) {
      // The header itself was cut: take at most a header's worth, and give back what belongs to the next field.
      const take = Math.min(chunk.length - pos, MAX_HEADER_BYTES);
      if (take === 0) return -1;
      this.#append(chunk, pos, pos + take);
      pos += take;
      if (this.#learnNeed() === MALFORMED) this.#refuse(this.#carry.subarray(0, this.#carryBytes), 'malformed field header');
    }
    if (this.#carryBytes > this.#carryNeed) {
      pos -= this.#carryBytes - this.#carryNeed;
      this.#carryBytes = this.#carryNeed;
    }
    const take = Math.min(this.#carryNeed - this.#carryBytes, chunk.length - pos);
    this.#append(chunk, pos, pos + take);
    pos += take;
    if (this.#carryBytes < this.#carryNeed) return -1;
    const field = this.#carry.subarray(0, this.#carryNeed);
    this.#carryBytes = 0;
    this.#carryNeed = -1;
    this.#onFields(field);
    return pos;
  }

  /** Sets the carried field's length once its header is whole. */
  #learnNeed(): number {
    const end = fieldEnd(this.#carry, 0, this.#carryBytes);
    if (end >= 0) this.#carryNeed = end;
    return end;
  }

  #append(chunk: Buffer, start: number, end: number): void {
    const bytes = end - start;
    if (this.#carryBytes + bytes > this.#carry.length) {
      const grown = Buffer.allocUnsafe(Math.max(MIN_CARRY_BYTES, 2 * this.#carry.length, this.#carryBytes + bytes));
      this.#carry.copy(grown, 0, 0, this.#carryBytes);
      this.#carry = grown;
    }
    chunk.copy(this.#carry, this.#carryBytes, start, end);
    this.#carryBytes += bytes;
  }
}
